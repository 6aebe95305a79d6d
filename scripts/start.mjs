#!/usr/bin/env node
// `npm start`: builds the app and opens it on the demo case. With an Electron binary
// (node_modules/electron/dist) it runs the Electron app; where the binary cannot be obtained (it
// cannot be downloaded on these machines) it says so in one line and falls back to the browser
// host, opened in an installed Chromium window (--app=URL) when there is a display, else it
// prints the URL. Extra arguments are passed on (evidence paths instead of the demo case).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extra = process.argv.slice(2);
const caseArgs = extra.length > 0 ? extra : ['--demo'];

/**
 * V8 flags of the process that runs the worker pool (also in package.json's serve script and the
 * backend bench): with every core parsing, V8's GC helper threads only compete with the workers;
 * single-threaded GC gave 2 workers 7.4–7.7 s instead of 8.0–8.4 s on a 1 GB Sysmon log.
 */
const BACK_HALF_V8_FLAGS = ['--single-threaded-gc'];

function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const bin = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}

function findChromium() {
  for (const c of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']) {
    if (c && existsSync(c)) return c;
  }
  return undefined;
}

const electron = electronBinary();
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), ...(electron ? [] : ['--renderer-only'])], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

if (electron) {
  const child = spawn(electron, [`--js-flags=${BACK_HALF_V8_FLAGS.join(' ')}`, join(root, 'dist', 'electron', 'main.mjs'), ...caseArgs], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('runkey-hunter: no Electron binary here (node_modules/electron/dist is missing and cannot be downloaded): falling back to the browser host.');
  const host = spawn(process.execPath, [...BACK_HALF_V8_FLAGS, '--import', 'tsx', join(root, 'electron', 'browser-host', 'serve.ts'), '--no-open', '--no-build', ...caseArgs], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () => host.kill('SIGTERM');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  host.on('exit', (code) => process.exit(code ?? 0));
  const lines = createInterface({ input: host.stdout });
  let opened = false;
  lines.on('line', (line) => {
    console.log(line);
    if (opened || !/^http:\/\/\S+\?token=/.test(line)) return;
    opened = true;
    const chromium = findChromium();
    const display = process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.platform === 'darwin' || process.platform === 'win32';
    if (chromium && display) {
      const profile = mkdtempSync(join(tmpdir(), 'runkey-hunter-chromium-'));
      const win = spawn(chromium, [`--app=${line}`, `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check'], { stdio: 'ignore', detached: true });
      win.on('error', () => console.log(`runkey-hunter: could not start ${chromium}; open ${line}`));
      win.unref();
    } else {
      console.log(`runkey-hunter: open ${line} in a browser (${chromium ? 'no display' : 'no Chromium found'})`);
    }
  });
}
