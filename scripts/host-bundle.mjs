// The Node hosts (CLI, browser host, their ingest worker) run from esbuild bundles in dist/hosts/,
// built once and rebuilt when a source changed, so a start does not pay for tsx compiling the
// TypeScript every time (0.8 s before; a fresh bundle starts in tens of ms).
//
// Invariants:
// - Fresh means: every input esbuild read (its metafile), the package manifests and this file have
//   the size and mtime recorded at build time, and the outputs have theirs. Checking that is one
//   stat per input (a few ms), never a read of the sources. `git pull` and `npm ci` change mtimes,
//   so a pulled or reinstalled tree is never run from a stale bundle.
// - Outputs are written to a temp file and renamed into place, the manifest last, so a reader sees
//   whole files only; builds are serialised by a lock file (a dead builder's lock is taken over),
//   so concurrent first runs build once and wait for each other instead of racing.
// - An input modified while a build runs is recorded as stale (mtime -1): the next start rebuilds.
// - The bundles sit two levels under the repository (dist/hosts/), like their sources
//   (electron/<dir>/), so `../..` from import.meta.url is still the repository root (serve.ts), and
//   the pool's './ingest-worker.mjs' next to it is the bundled worker.
// - Nothing here throws at a caller for a missing or broken esbuild: ensureHostBundle() returns
//   { ok: false, reason } and the caller falls back to the sources through tsx.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..');

/** Entry points bundled for the Node hosts; the output is dist/hosts/<name>.mjs. */
export const HOST_ENTRIES = {
  cli: 'electron/cli.ts',
  serve: 'electron/browser-host/serve.ts',
  'ingest-worker': 'electron/workers/ingest-worker.ts',
};

// Inputs esbuild does not see that still change what a bundle should be.
const EXTRA_INPUTS = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', relative(REPO_ROOT, fileURLToPath(import.meta.url))];
const MANIFEST = 'manifest.json';
const MANIFEST_VERSION = 1;
const LOCK = '.build.lock';
const LOCK_STALE_MS = 120_000;

// ESM bundles may hold CommonJS dependencies that call require(): give them one (as scripts/build.mjs does)
const REQUIRE_SHIM = "import { createRequire as __rkCreateRequire } from 'node:module'; const require = __rkCreateRequire(import.meta.url);";

function statKey(path) {
  try {
    const s = statSync(path);
    return [s.size, s.mtimeMs];
  } catch (e) {
    if (e && e.code === 'ENOENT') return [-1, -1];
    throw e;
  }
}

function readManifest(outDir) {
  let text;
  try {
    text = readFileSync(join(outDir, MANIFEST), 'utf8');
  } catch (e) {
    if (e && e.code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const m = JSON.parse(text);
    return m && m.version === MANIFEST_VERSION && Array.isArray(m.inputs) && Array.isArray(m.outputs) ? m : undefined;
  } catch {
    return undefined; // a torn or foreign manifest is the same as none: rebuild
  }
}

/**
 * Whether outDir holds bundles of the current sources: { fresh: true } or { fresh: false, why }.
 * `entries` must name what the manifest was built for (a changed entry list is a rebuild).
 */
export function checkFresh(opts = {}) {
  const root = opts.root ?? REPO_ROOT;
  const outDir = opts.outDir ?? join(root, 'dist', 'hosts');
  const entries = opts.entries ?? HOST_ENTRIES;
  const m = readManifest(outDir);
  if (!m) return { fresh: false, why: 'no bundle yet' };
  if (JSON.stringify(m.entries) !== JSON.stringify(entries)) return { fresh: false, why: 'entry points changed' };
  for (const [rel, size, mtimeMs] of m.outputs) {
    const [s, t] = statKey(join(outDir, rel));
    if (s !== size || t !== mtimeMs) return { fresh: false, why: `${rel} was replaced` };
  }
  for (const [rel, size, mtimeMs] of m.inputs) {
    const [s, t] = statKey(join(root, rel));
    if (s !== size || t !== mtimeMs) return { fresh: false, why: `${rel} changed` };
  }
  return { fresh: true };
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Takes the build lock: true when held, false when another live builder holds it. */
function tryLock(lockPath) {
  try {
    const fd = openSync(lockPath, 'wx');
    writeSync(fd, `${process.pid} ${Date.now()}\n`);
    closeSync(fd);
    return true;
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
  }
  let pid;
  let age;
  try {
    const text = readFileSync(lockPath, 'utf8');
    pid = Number.parseInt(text, 10);
    age = Date.now() - statSync(lockPath).mtimeMs;
  } catch (e) {
    if (e.code === 'ENOENT') return tryLock(lockPath); // released between our open and read
    throw e;
  }
  if ((pid > 0 && !pidAlive(pid)) || age > LOCK_STALE_MS) {
    // a killed builder's lock: take it over (rename is atomic, so two takers cannot both win)
    const grave = `${lockPath}.stale-${process.pid}`;
    try {
      renameSync(lockPath, grave);
      rmSync(grave, { force: true });
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
    return tryLock(lockPath);
  }
  return false;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function build(root, outDir, entries, loadEsbuild) {
  const esbuild = await loadEsbuild();
  const t0 = Date.now();
  const names = Object.keys(entries);
  const results = await Promise.all(names.map((name) => esbuild.build({
    entryPoints: [entries[name]], absWorkingDir: root, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    // electron is never imported by these hosts; were it, it must come from the runtime, not the bundle
    external: ['electron'], banner: { js: REQUIRE_SHIM }, legalComments: 'none', logLevel: 'silent',
    // less text to parse at each start (parsing the bundle is most of a start); identifiers kept, so
    // stacks still name functions, and the linked map (free at a start) gives TypeScript lines
    // under `node --enable-source-maps`
    minifyWhitespace: true, minifySyntax: true, sourcemap: 'linked', metafile: true, write: false, outfile: join(outDir, `${name}.mjs`),
  })));
  const inputs = new Set(EXTRA_INPUTS);
  for (const r of results) for (const k of Object.keys(r.metafile.inputs)) if (!k.includes(':')) inputs.add(k);
  mkdirSync(outDir, { recursive: true });
  const outputs = [];
  for (const r of results) {
    for (const f of r.outputFiles) {
      const tmp = `${f.path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
      writeFileSync(tmp, f.contents);
      renameSync(tmp, f.path);
      const [size, mtimeMs] = statKey(f.path);
      outputs.push([relative(outDir, f.path), size, mtimeMs]);
    }
  }
  const inputStats = [...inputs].sort().map((rel) => {
    const [size, mtimeMs] = statKey(join(root, rel));
    // touched after the build began: the bundle may hold the old text, so the next start rebuilds
    // (strictly after: `npm ci` writes node_modules just before running `prepare`)
    return [rel, size, mtimeMs >= t0 + 1 ? -1 : mtimeMs];
  });
  const manifest = { version: MANIFEST_VERSION, entries, builtAt: new Date().toISOString(), inputs: inputStats, outputs };
  const tmp = join(outDir, `${MANIFEST}.tmp-${process.pid}`);
  writeFileSync(tmp, JSON.stringify(manifest));
  renameSync(tmp, join(outDir, MANIFEST));
  return { ms: Date.now() - t0, inputs: inputStats.length };
}

/**
 * Makes sure outDir holds fresh bundles, building them when needed (under the lock).
 * Returns { ok: true, dir, built, url(name) } or { ok: false, reason } when they cannot be built.
 */
export async function ensureHostBundle(opts = {}) {
  const root = opts.root ?? REPO_ROOT;
  const outDir = opts.outDir ?? join(root, 'dist', 'hosts');
  const entries = opts.entries ?? HOST_ENTRIES;
  const loadEsbuild = opts.loadEsbuild ?? (() => import('esbuild'));
  const lockWaitMs = opts.lockWaitMs ?? 120_000;
  const done = (built, extra = {}) => ({ ok: true, dir: outDir, built, url: (name) => pathToFileURL(join(outDir, `${name}.mjs`)).href, ...extra });
  const first = checkFresh({ root, outDir, entries });
  if (first.fresh) return done(false);
  try {
    mkdirSync(outDir, { recursive: true });
    const lockPath = join(outDir, LOCK);
    const deadline = Date.now() + lockWaitMs;
    let locked = tryLock(lockPath);
    while (!locked) {
      // another start is building: its manifest appears when it is done
      await sleep(50);
      if (checkFresh({ root, outDir, entries }).fresh) return done(false);
      if (Date.now() > deadline) break; // a hung builder: build without the lock rather than never
      locked = tryLock(lockPath);
    }
    try {
      // the builder before us may have finished between our check and our lock
      if (checkFresh({ root, outDir, entries }).fresh) return done(false);
      const stats = await build(root, outDir, entries, loadEsbuild);
      return done(true, { why: first.why, ...stats });
    } finally {
      if (locked) rmSync(lockPath, { force: true });
    }
  } catch (e) {
    const reason = e && typeof e === 'object' && 'errors' in e && Array.isArray(e.errors) && e.errors[0]
      ? `${e.errors[0].text}${e.errors[0].location ? ` (${e.errors[0].location.file}:${e.errors[0].location.line})` : ''}`
      : e instanceof Error ? e.message : String(e);
    return { ok: false, reason };
  }
}

// `node scripts/host-bundle.mjs`: builds now (the `prepare` lifecycle script runs it after npm ci).
// Never fails the install: a failure is one line, and the first start tries again or uses tsx.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await ensureHostBundle();
  if (!r.ok) console.error(`runkey-hunter: could not bundle the hosts (${r.reason}); they will run from the sources through tsx`);
  else if (r.built) console.error(`runkey-hunter: bundled the CLI, browser host and worker into ${relative(process.cwd(), r.dir) || '.'} (${r.ms} ms, ${r.inputs} inputs)`);
}
