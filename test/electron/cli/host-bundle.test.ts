// The hosts' bundle (scripts/host-bundle.mjs): built once, fresh until an input changes, rebuilt
// then; concurrent first starts build once and all run whole files; no esbuild means a reason, not
// a throw. The mechanics run on a throwaway two-file project in a temp folder (so the repository's
// own sources are never touched); the bin test runs the real bin both ways.
//
// The CLI tests that spawn bin/runkey-hunter.mjs (run-bin.ts) run the bundle, as users do: that is
// what `npx runkey-hunter` executes. It is rebuilt from the sources when any of them changed, so
// they still test the sources of the tree. In-process tests (runScanCaptured) import the sources.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../samples';
import { BIN } from './run-bin';
import { TOOL_VERSION } from '../../../shared/version';

interface EnsureResult { ok: boolean; built?: boolean; reason?: string; why?: string; url?(name: string): string }
interface HostBundle {
  ensureHostBundle(o?: Record<string, unknown>): Promise<EnsureResult>;
  checkFresh(o?: Record<string, unknown>): { fresh: boolean; why?: string };
}
const SCRIPT = join(REPO_ROOT, 'scripts', 'host-bundle.mjs');
const load = async (): Promise<HostBundle> => (await import(pathToFileURL(SCRIPT).href)) as HostBundle;

function project(): { root: string; outDir: string; entries: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'rkh-bundle-'));
  writeFileSync(join(root, 'dep.ts'), "export const answer: string = 'one';\n");
  writeFileSync(join(root, 'main.ts'), "import { answer } from './dep';\nconsole.log(answer);\n");
  return { root, outDir: join(root, 'dist', 'hosts'), entries: { main: 'main.ts' } };
}

const runOut = (file: string) => execFileSync(process.execPath, [file], { encoding: 'utf8' }).trim();

describe('host bundle', () => {
  it('builds once, stays fresh, and rebuilds when an input is newer', async () => {
    const hb = await load();
    const p = project();
    expect(hb.checkFresh(p)).toMatchObject({ fresh: false });
    const first = await hb.ensureHostBundle(p);
    expect(first).toMatchObject({ ok: true, built: true });
    expect(runOut(join(p.outDir, 'main.mjs'))).toBe('one');
    expect(await hb.ensureHostBundle(p)).toMatchObject({ ok: true, built: false });

    // what a `git pull` does to a file: new text, new mtime
    writeFileSync(join(p.root, 'dep.ts'), "export const answer: string = 'two';\n");
    const later = new Date(Date.now() + 5000);
    utimesSync(join(p.root, 'dep.ts'), later, later);
    expect(hb.checkFresh(p)).toMatchObject({ fresh: false, why: 'dep.ts changed' });
    expect(await hb.ensureHostBundle(p)).toMatchObject({ ok: true, built: true });
    expect(runOut(join(p.outDir, 'main.mjs'))).toBe('two');
  });

  it('rebuilds when the bundle itself was replaced', async () => {
    const hb = await load();
    const p = project();
    await hb.ensureHostBundle(p);
    writeFileSync(join(p.outDir, 'main.mjs'), 'console.log("tampered")\n');
    expect(hb.checkFresh(p).fresh).toBe(false);
    await hb.ensureHostBundle(p);
    expect(runOut(join(p.outDir, 'main.mjs'))).toBe('one');
  });

  it('builds once for concurrent first starts, and each of them runs a whole bundle', async () => {
    const p = project();
    const code = `const m = await import(${JSON.stringify(pathToFileURL(SCRIPT).href)}); const r = await m.ensureHostBundle(${JSON.stringify(p)}); console.log(JSON.stringify({ ok: r.ok, built: r.built }));`;
    const runs = await Promise.all(Array.from({ length: 4 }, () => new Promise<{ ok: boolean; built: boolean }>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as { ok: boolean; built: boolean })));
    })));
    expect(runs.every((r) => r.ok)).toBe(true);
    expect(runs.filter((r) => r.built)).toHaveLength(1);
    expect(runOut(join(p.outDir, 'main.mjs'))).toBe('one');
    expect(JSON.parse(readFileSync(join(p.outDir, 'manifest.json'), 'utf8'))).toMatchObject({ version: 1, entries: p.entries });
  }, 60_000);

  it('says why instead of throwing when esbuild cannot be loaded', async () => {
    const hb = await load();
    const p = project();
    const r = await hb.ensureHostBundle({ ...p, loadEsbuild: () => Promise.reject(new Error("Cannot find package 'esbuild'")) });
    expect(r.ok).toBe(false);
    expect(r.reason).toContain('esbuild');
  });

  it('says why when a source does not compile, and builds nothing', async () => {
    const hb = await load();
    const p = project();
    writeFileSync(join(p.root, 'dep.ts'), "export const answer: string = ;\n");
    const r = await hb.ensureHostBundle(p);
    expect(r.ok).toBe(false);
    expect(hb.checkFresh(p).fresh).toBe(false);
  });

  it('runs the CLI from the bundle by default and from the sources with RUNKEY_HUNTER_FROM_SOURCE=1, with the same answer', async () => {
    const run = (env: Record<string, string>) => new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(process.execPath, [BIN, '--version'], { encoding: 'utf8', env: { ...process.env, RUNKEY_HUNTER_EXPLAIN_START: '1', ...env } }, (err, stdout, stderr) => (err ? reject(err) : resolve({ stdout, stderr })));
    });
    const bundled = await run({});
    expect(bundled.stderr).toContain('start: bundle');
    expect(bundled.stdout.trim()).toBe(TOOL_VERSION);
    const again = await run({});
    expect(again.stderr).toMatch(/start: bundle\n/); // fresh now: not built again
    const sources = await run({ RUNKEY_HUNTER_FROM_SOURCE: '1' });
    expect(sources.stderr).toContain('start: sources');
    expect(sources.stdout.trim()).toBe(TOOL_VERSION);
  }, 120_000);
});
