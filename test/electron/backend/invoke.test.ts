// The boundary every host (Electron IPC, HTTP) goes through: payloads arrive as unknown and are
// parsed with the contract's schemas; nothing throws past it.

import { describe, expect, it } from 'vitest';
import { HANDLER_NAMES } from '../../../shared/api';
import { testBackend } from './helpers';

describe('backend invoke boundary', () => {
  it('rejects bad payloads with BAD_REQUEST and names where they are wrong', async () => {
    const t = await testBackend({ workers: 1 });
    try {
      const cases: [string, unknown][] = [
        ['finding.events', { findingId: 5 }],
        ['finding.events', null],
        ['case.openDialog', { kind: 'everything' }],
        ['record.raw', { ref: { file: 'x', format: 'exe' } }],
        ['export.findings', { format: 'html' }],
        ['baseline.addEntry', { entry: { match: { kind: 'regex', value: '.*' } } }],
        ['settings.update', { workers: -1 }],
        ['case.snapshot', { extra: 1 }],
        ['case.snapshot', 'a string'],
      ];
      for (const [name, payload] of cases) {
        const r = await t.backend.invoke(name, payload);
        expect(r.ok ? 'ok' : r.error.code, `${name} ${JSON.stringify(payload)}`).toBe('BAD_REQUEST');
        if (!r.ok) expect(r.error.details?.length).toBeGreaterThan(0);
      }
      const unknown = await t.backend.invoke('__proto__', {});
      expect(unknown.ok ? 'ok' : unknown.error.code).toBe('UNKNOWN_HANDLER');
    } finally {
      await t.cleanup();
    }
  });

  it('answers every handler with a Result, never an exception, with no case open', async () => {
    const t = await testBackend({ workers: 1 });
    try {
      const minimal: Record<string, unknown> = {
        'case.openPaths': { paths: ['/nonexistent/evidence.evtx'] },
        'case.openDialog': { kind: 'files' },
        'case.openUpload': { uploadId: 'abcdefgh' },
        'finding.events': { findingId: 'x' },
        'record.raw': { ref: { file: 'x', format: 'evtx' } },
        'baseline.addEntry': { entry: { match: { kind: 'host', host: 'LAB-1' } } },
        'baseline.updateEntry': { id: 'missing', entry: { match: { kind: 'host', host: 'LAB-1' } } },
        'baseline.deleteEntry': { id: 'missing' },
        'baseline.import': { text: 'not json', mode: 'merge' },
        'baseline.previewSuppression': { entry: { match: { kind: 'host', host: 'LAB-1' } } },
        'export.findings': { format: 'csv' },
        'settings.update': { sigmaRulesFolder: null },
      };
      for (const name of HANDLER_NAMES) {
        if (name === 'case.openDemo') continue; // no demo folder in this data dir: covered by NOT_FOUND below
        const r = await t.backend.invoke(name, minimal[name] ?? {});
        expect(typeof r.ok, name).toBe('boolean');
      }
      const demo = await t.backend.invoke('case.openDemo', {});
      expect(demo.ok ? 'ok' : demo.error.code).toBe('NOT_FOUND');
    } finally {
      await t.cleanup();
    }
  });
});
