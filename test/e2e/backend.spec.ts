// The back half end to end in Debian's Chromium through the browser host (`npm run serve`): the
// page's own origin uploads a real sample with fetch, opens it, and receives progress and findings
// over server-sent events (EventSource), authenticated by the cookie the page URL set. Also checks
// that the same API refuses a request without the token from inside the page.

import { test, expect } from '@playwright/test';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHost, REPO_ROOT, type RunningHost } from './app-host';

const SAMPLE = resolve(REPO_ROOT, '..', 'shared', 'samples', 'sbousseaden_EVTX-ATTACK-SAMPLES', 'AutomatedTestingTools', 'PanacheSysmon_vs_AtomicRedTeam01.evtx');

interface FlowResult {
  uploadOk: boolean;
  openOk: boolean;
  events: { name: string; bytesDone?: number; findings?: number }[];
  finalFindings: number;
  doneState?: string;
  noTokenStatus: number;
}

test.describe('back half through the browser host', () => {
  let host: RunningHost;
  test.beforeAll(async () => {
    host = await startHost(['--workers', '2']);
  });
  test.afterAll(async () => {
    await host?.stop();
  });

  test('upload a file: progress arrives, then findings', async ({ page }) => {
    test.skip(!existsSync(SAMPLE), `sample missing: ${SAMPLE}`);
    await page.goto(host.url);
    const token = new URL(host.url).searchParams.get('token') ?? '';
    const bytes = readFileSync(SAMPLE).toString('base64');
    const r: FlowResult = await page.evaluate(
      async ({ bytes, token }) => {
        const events: { name: string; bytesDone?: number; findings?: number }[] = [];
        // the cookie set by the page load authenticates the event stream
        const source = new EventSource('/api/events');
        let finish: () => void = () => undefined;
        const done = new Promise<void>((r) => (finish = r));
        for (const name of ['ingest.progress', 'findings.added', 'findings.replaced', 'ingest.done']) {
          source.addEventListener(name, (ev) => {
            const p = JSON.parse((ev as MessageEvent<string>).data);
            events.push({ name, bytesDone: p.progress?.bytesDone, findings: p.findings?.length });
            if (name === 'ingest.done') finish();
          });
        }
        await new Promise((r) => source.addEventListener('open', r, { once: true }));
        const noToken = await fetch('/api/case.snapshot', { method: 'POST', headers: { 'content-type': 'application/json', 'x-runkey-token': 'wrong' }, body: '{}', credentials: 'omit' });
        const file = new Blob([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))]);
        const up = await (await fetch('/api/upload?name=Panache.evtx', { method: 'POST', headers: { 'x-runkey-token': token }, body: file })).json();
        const opened = await (await fetch('/api/case.openUpload', { method: 'POST', headers: { 'content-type': 'application/json', 'x-runkey-token': token }, body: JSON.stringify({ uploadId: up.value?.uploadId }) })).json();
        await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))]);
        source.close();
        const list = await (await fetch('/api/findings.list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
        const snap = await (await fetch('/api/case.snapshot', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
        return { uploadOk: up.ok, openOk: opened.ok, events, finalFindings: list.value?.findings?.length ?? -1, doneState: snap.value?.state, noTokenStatus: noToken.status };
      },
      { bytes, token },
    );
    expect(r.noTokenStatus).toBe(403);
    expect(r.uploadOk).toBe(true);
    expect(r.openOk).toBe(true);
    const progress = r.events.filter((e) => e.name === 'ingest.progress');
    expect(progress.length).toBeGreaterThan(0);
    const bytesSeen = progress.map((e) => e.bytesDone ?? 0);
    expect(bytesSeen).toEqual([...bytesSeen].sort((a, b) => a - b));
    expect(r.events.some((e) => e.name === 'findings.replaced' && (e.findings ?? 0) > 0)).toBe(true);
    expect(r.events.at(-1)?.name).toBe('ingest.done');
    expect(r.finalFindings).toBeGreaterThan(0);
    expect(r.doneState).toBe('ready');
  });
});

test('non-loopback bind is refused without --allow-remote', async () => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('electron', 'browser-host', 'serve.ts'), '--no-open', '--no-build', '--host', '0.0.0.0', '--port', '0', '--data-dir', join(REPO_ROOT, 'test-results', 'e2e-refused-never-created')], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('--allow-remote');
  expect(existsSync(join(REPO_ROOT, 'test-results', 'e2e-refused-never-created'))).toBe(false);
});
