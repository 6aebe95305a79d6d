import { describe, expect, it } from 'vitest';
import { createIpcInvokeHandler } from '../../../electron/security/ipc-guard';
import { isAppUrl } from '../../../electron/security/navigation';
import { testBackend } from '../backend/helpers';

const APP = 'file:///opt/runkey/dist/renderer/index.html';

describe('Electron IPC entry point', () => {
  it('answers only our page, and validates the handler name and payload', async () => {
    const t = await testBackend({ workers: 1 });
    try {
      const handle = createIpcInvokeHandler(t.backend.invoke, (u) => isAppUrl(u, APP));
      const ours = { frameUrl: APP, fromAppWindow: true };
      const code = async (p: ReturnType<typeof handle>) => {
        const r = await p;
        return r.ok ? 'ok' : r.error.code;
      };
      expect(await code(handle(ours, 'app.info', {}))).toBe('ok');
      expect(await code(handle(ours, 'finding.events', { findingId: ['x'] }))).toBe('BAD_REQUEST');
      expect(await code(handle(ours, { toString: () => 'app.info' }, {}))).toBe('BAD_REQUEST');
      expect(await code(handle(ours, 'shell.openExternal', {}))).toBe('UNKNOWN_HANDLER');
      expect(await code(handle({ frameUrl: 'https://evil.example/', fromAppWindow: true }, 'app.info', {}))).toBe('FORBIDDEN');
      expect(await code(handle({ frameUrl: APP, fromAppWindow: false }, 'app.info', {}))).toBe('FORBIDDEN');
      expect(await code(handle({ frameUrl: undefined, fromAppWindow: true }, 'app.info', {}))).toBe('FORBIDDEN');
    } finally {
      await t.cleanup();
    }
  });
});
