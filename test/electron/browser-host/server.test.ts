// The browser host over real HTTP: Host / Origin / token checks on every request, schema checks on
// payloads, the remote-bind refusal, upload limits, and the whole flow (upload → case → events).
// Concurrent baseline changes through the API all land; a malformed path answers 400, not 500.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { request } from 'node:http';
import { mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HAVE_SAMPLES, samplePath } from '../../samples';
import { RemoteBindRefused, startBrowserHost, type BrowserHost } from '../../../electron/browser-host/server';
import { UploadStore, cleanUploadName } from '../../../electron/browser-host/uploads';
import { tempDir, testBackend, type TestBackend } from '../backend/helpers';
import { BASELINE_FILE } from '../../../electron/backend/baseline-store';
import { parseBaselineText } from '../../../electron/backend/baseline-codec';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const json = (token: string) => ({ 'content-type': 'application/json', 'x-runkey-token': token });
const errorCode = (r: Res) => (JSON.parse(r.body) as { ok: boolean; error?: { code: string } }).error?.code;

describe('browser host', () => {
  let t: TestBackend;
  let host: BrowserHost;
  let uploads: UploadStore;
  let staticDir: string;
  beforeAll(async () => {
    uploads = await UploadStore.create(4 * 1024 * 1024);
    t = await testBackend({ workers: 1, progressIntervalMs: 50, uploads: { take: (id) => uploads.take(id), maxBytes: uploads.maxBytes } });
    staticDir = await tempDir('static');
    await mkdir(join(staticDir, 'assets'));
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>test page</title>');
    await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    host = await startBrowserHost({ backend: t.backend, uploads, staticDir, port: 0 });
  });
  afterAll(async () => {
    await host.close();
    await uploads.close();
    await t.cleanup();
    await rm(staticDir, { recursive: true, force: true });
  });

  it('prints a loopback URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the page only with the token, then sets an HttpOnly SameSite cookie and the CSP', async () => {
    expect((await http(host.port, 'GET', '/')).status).toBe(403);
    const page = await http(host.port, 'GET', `/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('test page');
    expect(String(page.headers['set-cookie'])).toMatch(new RegExp(`runkey_token_${host.port}=${host.token}; HttpOnly; SameSite=Strict`));
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const cookie = `runkey_token_${host.port}=${host.token}`;
    expect((await http(host.port, 'GET', '/assets/app.js', { cookie })).status).toBe(200);
    expect((await http(host.port, 'GET', '/assets/app.js')).status).toBe(403);
    expect((await http(host.port, 'GET', '/../package.json', { cookie })).status).toBe(404);
    expect((await http(host.port, 'GET', '/%2e%2e/%2e%2e/package.json', { cookie })).status).toBe(404);
  });

  it('rejects API calls without the token, with a foreign Origin or a foreign Host', async () => {
    const noToken = await http(host.port, 'POST', '/api/app.info', { 'content-type': 'application/json' }, '{}');
    expect([noToken.status, errorCode(noToken)]).toEqual([403, 'FORBIDDEN']);
    const foreignOrigin = await http(host.port, 'POST', '/api/app.info', { ...json(host.token), origin: 'http://evil.example' }, '{}');
    expect([foreignOrigin.status, errorCode(foreignOrigin)]).toEqual([403, 'FORBIDDEN']);
    const foreignHost = await http(host.port, 'POST', '/api/app.info', { ...json(host.token), host: `rebind.evil.example:${host.port}` }, '{}');
    expect([foreignHost.status, errorCode(foreignHost)]).toEqual([403, 'FORBIDDEN']);
    const pageForeignHost = await http(host.port, 'GET', `/?token=${host.token}`, { host: 'evil.example' });
    expect(pageForeignHost.status).toBe(403);
    expect(pageForeignHost.body).not.toContain('test page');
    const good = await http(host.port, 'POST', '/api/app.info', { ...json(host.token), origin: `http://127.0.0.1:${host.port}` }, '{}');
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body)).toMatchObject({ ok: true, value: { host: 'browser', canOpenPaths: false } });
  });

  it('rejects bad payloads with BAD_REQUEST, unknown handlers and non-JSON bodies', async () => {
    const bad = await http(host.port, 'POST', '/api/finding.events', json(host.token), JSON.stringify({ findingId: 42 }));
    expect([bad.status, errorCode(bad)]).toEqual([200, 'BAD_REQUEST']);
    const extra = await http(host.port, 'POST', '/api/case.snapshot', json(host.token), JSON.stringify({ sneaky: true }));
    expect(errorCode(extra)).toBe('BAD_REQUEST');
    const notJson = await http(host.port, 'POST', '/api/case.snapshot', json(host.token), '{nope');
    expect(errorCode(notJson)).toBe('BAD_REQUEST');
    const unknown = await http(host.port, 'POST', '/api/fs.readFile', json(host.token), '{}');
    expect([unknown.status, errorCode(unknown)]).toEqual([404, 'UNKNOWN_HANDLER']);
    const form = await http(host.port, 'POST', '/api/case.snapshot', { 'content-type': 'application/x-www-form-urlencoded', 'x-runkey-token': host.token }, 'a=b');
    expect(form.status).toBe(415);
    const paths = await http(host.port, 'POST', '/api/case.openPaths', json(host.token), JSON.stringify({ paths: ['/etc'] }));
    expect(errorCode(paths)).toBe('UNSUPPORTED');
  });

  it('answers 400 without a logged stack to a malformed percent-escape or an unparsable request target', async () => {
    const cookie = `runkey_token_${host.port}=${host.token}`;
    const logged = vi.spyOn(console, 'error');
    try {
      for (const path of ['/%E0%A4%A', '/%zz', '/assets/%C3', '//[']) {
        const r = await http(host.port, 'GET', path, { cookie });
        expect([path, r.status]).toEqual([path, 400]);
        expect(r.body).not.toMatch(/\bat .+:\d+:\d+/);
      }
      expect(logged).not.toHaveBeenCalled();
      expect((await http(host.port, 'GET', '/assets/app%2Ejs', { cookie })).status).toBe(200);
    } finally {
      logged.mockRestore();
    }
  });

  it('keeps all of 20 concurrent baseline.addEntry calls, in the answer and in the file', async () => {
    const calls = Array.from({ length: 20 }, (_, i) =>
      http(host.port, 'POST', '/api/baseline.addEntry', json(host.token), JSON.stringify({ entry: { id: `c${i}`, analyst: 'a', reason: 'r', match: { kind: 'exact-value', value: `v${i}` } } })),
    );
    const answers = await Promise.all(calls);
    expect(answers.map((r) => (JSON.parse(r.body) as { ok: boolean }).ok)).toEqual(Array(20).fill(true));
    const got = await http(host.port, 'POST', '/api/baseline.get', json(host.token), '{}');
    const ids = (JSON.parse(got.body) as { value: { entries: { id: string }[] } }).value.entries.map((e) => e.id).filter((id) => id.startsWith('c'));
    expect(ids.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`).sort());
    const file = parseBaselineText(await readFile(join(t.dataDir, BASELINE_FILE), 'utf8'));
    expect(file.ok && file.value.filter((e) => e.id.startsWith('c')).length).toBe(20);
  });

  it('two overlapping baseline.updateEntry calls on two entries both land', async () => {
    const add = (id: string) => http(host.port, 'POST', '/api/baseline.addEntry', json(host.token), JSON.stringify({ entry: { id, analyst: 'a', reason: 'r', match: { kind: 'exact-value', value: id } } }));
    await add('u1');
    await add('u2');
    const update = (id: string, change: Record<string, string>) =>
      http(host.port, 'POST', '/api/baseline.updateEntry', json(host.token), JSON.stringify({ id, entry: { analyst: 'a', reason: 'r', match: { kind: 'exact-value', value: id }, ...change } }));
    const [a, b] = await Promise.all([update('u1', { reason: 'reason changed' }), update('u2', { analyst: 'analyst changed' })]);
    expect([JSON.parse(a.body), JSON.parse(b.body)]).toMatchObject([{ ok: true }, { ok: true }]);
    const file = parseBaselineText(await readFile(join(t.dataDir, BASELINE_FILE), 'utf8'));
    const entries = file.ok ? file.value : [];
    expect(entries.find((e) => e.id === 'u1')?.reason).toBe('reason changed');
    expect(entries.find((e) => e.id === 'u2')?.analyst).toBe('analyst changed');
  });

  it('refuses uploads over the size limit', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 1);
    const r = await http(host.port, 'POST', '/api/upload?name=big.evtx', { 'x-runkey-token': host.token, 'content-type': 'application/octet-stream' }, big);
    expect([r.status, errorCode(r)]).toEqual([413, 'TOO_LARGE']);
  });

  it.skipIf(!HAVE_SAMPLES)('takes an upload, opens it as a case and streams progress and findings over SSE', async () => {
    const evidence = samplePath('sbousseaden_EVTX-ATTACK-SAMPLES/Persistence/evasion_persis_hidden_run_keyvalue_sysmon_13.evtx');
    const events: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: `/api/events?token=${host.token}`, headers: { host: `127.0.0.1:${host.port}` } }, (res) => {
        expect(res.statusCode).toBe(200);
        res.on('data', (c: Buffer) => {
          for (const m of c.toString().matchAll(/^event: (\S+)$/gm)) events.push(m[1]);
          if (events.includes('ingest.done')) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (e) => (events.includes('ingest.done') ? resolve() : reject(e)));
      req.end();
    });
    const body = await readFile(evidence);
    const up = await http(host.port, 'POST', '/api/upload?name=case%2Fhidden.evtx', { 'x-runkey-token': host.token, 'content-type': 'application/octet-stream' }, body);
    expect(JSON.parse(up.body)).toMatchObject({ ok: true });
    const upId = (JSON.parse(up.body) as { value: { uploadId: string } }).value.uploadId;
    const opened = await http(host.port, 'POST', '/api/case.openUpload', json(host.token), JSON.stringify({ uploadId: upId }));
    expect(JSON.parse(opened.body)).toMatchObject({ ok: true, value: { files: [{ name: 'case/hidden.evtx', size: body.length }] } });
    await done;
    expect(events).toContain('ingest.progress');
    expect(events).toContain('findings.replaced');
    const list = await http(host.port, 'POST', '/api/findings.list', json(host.token), '{}');
    const findings = (JSON.parse(list.body) as { value: { findings: { evidence: { ref: { file: string } } }[] } }).value.findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].evidence.ref.file).toBe('case/hidden.evtx');
    // an upload id opens once
    const again = await http(host.port, 'POST', '/api/case.openUpload', json(host.token), JSON.stringify({ uploadId: upId }));
    expect(errorCode(again)).toBe('NOT_FOUND');
  });
});

describe('browser host binding', () => {
  it('refuses a non-loopback bind unless --allow-remote is given', async () => {
    const t = await testBackend({ workers: 1 });
    const uploads = await UploadStore.create(1024);
    try {
      await expect(startBrowserHost({ backend: t.backend, uploads, staticDir: '/nonexistent', host: '0.0.0.0' })).rejects.toBeInstanceOf(RemoteBindRefused);
      const remote = await startBrowserHost({ backend: t.backend, uploads, staticDir: '/nonexistent', host: '0.0.0.0', allowRemote: true });
      expect(remote.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/\?token=/);
      await remote.close();
    } finally {
      await uploads.close();
      await t.cleanup();
    }
  });

  it('cleans upload names so none escapes its folder', () => {
    expect(cleanUploadName('../../etc/passwd')).toBe('etc/passwd');
    expect(cleanUploadName('C:\\evidence\\Sysmon.evtx')).toBe('C:/evidence/Sysmon.evtx');
    expect(cleanUploadName('/..')).toBeUndefined();
  });
});
