// `npm run serve [-- options] [evidence…]`: the browser host. Starts the back half and the HTTP
// server on 127.0.0.1, prints the URL with the per-run token on stdout (first line, alone), and
// opens it in a browser unless --no-open. Evidence paths or --demo open a case at start.

import { Command, Option } from 'commander';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend } from '../backend/backend';
import { UploadStore } from './uploads';
import { RemoteBindRefused, assertBindAllowed, startBrowserHost } from './server';
import { installNativeHooks } from '../io/native-hooks';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function defaultDataDir(): string {
  const xdg = process.env.XDG_DATA_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.local', 'share'), 'runkey-hunter');
}

/** Builds the renderer with Vite when dist/renderer/index.html is missing; false when it cannot. */
export function ensureRendererBuilt(staticDir: string, log: (s: string) => void): boolean {
  if (existsSync(join(staticDir, 'index.html'))) return true;
  if (!existsSync(join(REPO_ROOT, 'vite.config.ts'))) {
    log(`runkey-hunter: the renderer is not built (${staticDir}) and there is no vite.config.ts to build it`);
    return false;
  }
  log('runkey-hunter: building the renderer (vite build) …');
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !existsSync(join(staticDir, 'index.html'))) {
    log('runkey-hunter: the renderer build failed; the API still runs but there is no page to show');
    return false;
  }
  return true;
}

/** Opens a URL in the desktop's browser; returns false when no opener exists. */
export function openInBrowser(url: string): boolean {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer.exe' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => console.error(`runkey-hunter: could not open a browser (${cmd}); open the URL above yourself`));
    child.unref();
    return true;
  } catch (e) {
    console.error(`runkey-hunter: could not open a browser: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}

export interface ServeOptions {
  host: string;
  port: number;
  dataDir: string;
  open: boolean;
  allowRemote: boolean;
  demo: boolean;
  workers: number;
  maxUploadMb: number;
  staticDir: string;
  build: boolean;
}

export async function serve(paths: string[], o: ServeOptions): Promise<{ url: string; close(): Promise<void> }> {
  assertBindAllowed(o.host, o.allowRemote);
  if (o.build) ensureRendererBuilt(o.staticDir, (s) => console.error(s));
  const uploads = await UploadStore.create(o.maxUploadMb * 1024 * 1024);
  const backend = await createBackend({
    host: 'browser',
    dataDir: o.dataDir,
    workers: o.workers,
    demoDir: join(REPO_ROOT, 'assets', 'demo', 'case'),
    uploads: { take: (id) => uploads.take(id), maxBytes: uploads.maxBytes },
    warmWorkers: true,
  });
  let host;
  try {
    host = await startBrowserHost({ backend, uploads, staticDir: o.staticDir, host: o.host, port: o.port, allowRemote: o.allowRemote });
  } catch (e) {
    await backend.close();
    await uploads.close();
    throw e;
  }
  if (o.demo) {
    const r = await backend.openDemo();
    if (!r.ok) console.error(`runkey-hunter: ${r.error.message}`);
  } else if (paths.length > 0) {
    const r = await backend.openPaths(paths);
    if (!r.ok) console.error(`runkey-hunter: ${r.error.message}`);
  }
  const h = host;
  return {
    url: h.url,
    async close() {
      await h.close();
      await backend.close();
      await uploads.close();
    },
  };
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve RunKey Hunter to a browser on this machine')
    .argument('[evidence...]', 'evidence files or folders to open at start')
    .option('--host <address>', 'address to bind (loopback unless --allow-remote)', '127.0.0.1')
    .addOption(new Option('--port <n>', 'port (0: any free port)').default(0).argParser((v) => Number.parseInt(v, 10)))
    .option('--data-dir <dir>', 'folder for the baseline and settings', defaultDataDir())
    .option('--no-open', 'do not open a browser')
    .option('--allow-remote', 'allow binding a non-loopback address (the token is still required)', false)
    .option('--demo', 'open the demo case at start', false)
    .addOption(new Option('--workers <n>', 'worker threads (0: one per core)').default(0).argParser((v) => Number.parseInt(v, 10)))
    .addOption(new Option('--max-upload-mb <n>', 'largest upload per case (MiB)').default(4096).argParser((v) => Number.parseInt(v, 10)))
    .option('--static-dir <dir>', 'built renderer folder', join(REPO_ROOT, 'dist', 'renderer'))
    .option('--no-build', 'do not build the renderer when it is missing')
    .action(async (paths: string[], o: ServeOptions) => {
      let running;
      try {
        running = await serve(paths, o);
      } catch (e) {
        if (e instanceof RemoteBindRefused) {
          console.error(`runkey-hunter: ${e.message}`);
          process.exitCode = 2;
          return;
        }
        throw e;
      }
      process.stdout.write(`${running.url}\n`);
      if (o.open) openInBrowser(running.url);
      const stop = () => {
        void running.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // the backend verifies checksums in this process too (its workers install their own)
  installNativeHooks();
  await serveCommand().parseAsync(process.argv);
}
