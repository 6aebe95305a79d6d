// The Electron main process: a thin, typed shell around the host-neutral back half
// (electron/backend). It creates one sandboxed, context-isolated window without Node, enforces the
// navigation / window.open / permission / webview rules of electron/security, validates every IPC
// payload (the back half parses it with the contract's zod schema; the sender must be our page),
// and owns the menus and native dialogs. Only this process touches the file system.
// Bundled by `npm run build` to dist/electron/main.mjs; `npm start` runs it.

import { BrowserWindow, Menu, app, dialog, session, shell, type IpcMainInvokeEvent, type MenuItemConstructorOptions } from 'electron';
import { ipcMain } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BackendEvents, EventName, ExportFormat, Result } from '../shared/api';
import { IPC_EVENT, IPC_INVOKE } from '../shared/api';
import { createBackend, type Backend, type Dialogs } from './backend/backend';
import { installNativeHooks } from './io/native-hooks';
import { CONTENT_SECURITY_POLICY } from './security/csp';
import { allowPermission, decideWindowOpen, isAppUrl, shouldAllowNavigation } from './security/navigation';
import { createIpcInvokeHandler, type IpcSender } from './security/ipc-guard';

const here = dirname(fileURLToPath(import.meta.url));
// dist/electron/main.mjs → dist/renderer/index.html; the repo root holds assets/
const RENDERER_INDEX = join(here, '..', 'renderer', 'index.html');
const PRELOAD = join(here, 'preload.cjs');
const WORKER = new URL('./ingest-worker.mjs', import.meta.url);
const DEMO_DIR = join(here, '..', '..', 'assets', 'demo', 'case');
const APP_URL = pathToFileURL(RENDERER_INDEX).href;

let win: BrowserWindow | undefined;
let backend: Backend | undefined;

function dialogs(): Dialogs {
  return {
    async openFiles() {
      const r = await dialog.showOpenDialog({ title: 'Open evidence files', properties: ['openFile', 'multiSelections'] });
      return r.canceled ? null : r.filePaths;
    },
    async openFolder() {
      const r = await dialog.showOpenDialog({ title: 'Open an evidence folder', properties: ['openDirectory'] });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
    },
    async chooseFolder(title: string) {
      const r = await dialog.showOpenDialog({ title, properties: ['openDirectory'] });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
    },
  };
}

function report<T>(what: string, r: Result<T>): void {
  if (!r.ok) void dialog.showMessageBox({ type: 'error', message: what, detail: r.error.message });
}

async function saveExport(format: ExportFormat): Promise<void> {
  if (!backend) return;
  const r = await backend.handlers['export.findings']({ format });
  if (!r.ok) return report('Export failed', r);
  const s = await dialog.showSaveDialog({ title: 'Export findings', defaultPath: r.value.fileName });
  if (s.canceled || !s.filePath) return;
  await writeFile(s.filePath, r.value.text, 'utf8');
}

async function importBaseline(): Promise<void> {
  if (!backend) return;
  const o = await dialog.showOpenDialog({ title: 'Import a baseline', properties: ['openFile'], filters: [{ name: 'Baseline', extensions: ['json'] }] });
  if (o.canceled || o.filePaths.length === 0) return;
  const text = await readFile(o.filePaths[0], 'utf8');
  report('Baseline import failed', await backend.handlers['baseline.import']({ text, mode: 'merge' }));
}

async function exportBaseline(): Promise<void> {
  if (!backend) return;
  const r = await backend.handlers['baseline.export']({});
  if (!r.ok) return report('Baseline export failed', r);
  const s = await dialog.showSaveDialog({ title: 'Export the baseline', defaultPath: r.value.fileName });
  if (!s.canceled && s.filePath) await writeFile(s.filePath, r.value.text, 'utf8');
}

function buildMenu(): void {
  const run = (f: () => Promise<unknown>) => () => {
    f().catch((e: unknown) => void dialog.showMessageBox({ type: 'error', message: 'Failed', detail: e instanceof Error ? e.message : String(e) }));
  };
  const b = () => backend as Backend;
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open files…', accelerator: 'CmdOrCtrl+O', click: run(async () => report('Open failed', await b().handlers['case.openDialog']({ kind: 'files' }))) },
        { label: 'Open folder…', accelerator: 'CmdOrCtrl+Shift+O', click: run(async () => report('Open failed', await b().handlers['case.openDialog']({ kind: 'folder' }))) },
        { label: 'Open demo case', click: run(async () => report('Open failed', await b().openDemo())) },
        { type: 'separator' },
        {
          label: 'Export',
          submenu: [
            { label: 'JSON report…', click: run(() => saveExport('json')) },
            { label: 'CSV (Timeline Explorer)…', click: run(() => saveExport('csv')) },
            { label: 'Sigma rules…', click: run(() => saveExport('sigma')) },
            { label: 'Splunk SPL…', click: run(() => saveExport('spl')) },
            { label: 'KQL (Defender)…', click: run(() => saveExport('kql')) },
          ],
        },
        { type: 'separator' },
        { label: 'Import baseline…', click: run(importBaseline) },
        { label: 'Export baseline…', click: run(exportBaseline) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function harden(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(allowPermission(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => allowPermission(permission));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev, url) => {
      if (!shouldAllowNavigation(url, APP_URL)) ev.preventDefault();
    });
    contents.on('will-redirect', (ev, url) => {
      if (!shouldAllowNavigation(url, APP_URL)) ev.preventDefault();
    });
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const d = decideWindowOpen(url);
      if (d.openExternally) void shell.openExternal(d.openExternally);
      return { action: 'deny' };
    });
  });
}

function senderOf(e: IpcMainInvokeEvent): IpcSender {
  return { frameUrl: e.senderFrame?.url, fromAppWindow: win !== undefined && e.sender === win.webContents };
}

async function main(): Promise<void> {
  // the backend verifies checksums in this process too (its workers install their own)
  installNativeHooks();
  app.enableSandbox();
  await app.whenReady();
  harden();
  backend = await createBackend({ host: 'electron', dataDir: app.getPath('userData'), workerUrl: WORKER, demoDir: DEMO_DIR, dialogs: dialogs(), warmWorkers: true });
  const be = backend;
  const handleInvoke = createIpcInvokeHandler(be.invoke, (url) => isAppUrl(url, APP_URL));
  ipcMain.handle(IPC_INVOKE, (e, name: unknown, payload: unknown) => handleInvoke(senderOf(e), name, payload));
  be.subscribe(<E extends EventName>(event: E, payload: BackendEvents[E]) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload);
  });
  buildMenu();
  win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    title: 'RunKey Hunter',
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  await win.loadURL(APP_URL);
  const args = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('--') || a === '--demo');
  if (args.includes('--demo') || process.env.RUNKEY_DEMO === '1') report('Open failed', await be.openDemo());
  else if (args.length > 0) report('Open failed', await be.openPaths(args));
}

app.on('window-all-closed', () => {
  void backend?.close().finally(() => app.quit());
});

main().catch((e: unknown) => {
  console.error(`runkey-hunter: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  app.exit(1);
});
