// UI benchmark: the renderer with 100,000 synthetic findings in headless Chromium (Debian's). The
// renderer is built into a temporary folder and served by a small static server; the dev-only
// benchmark page (?bench=N) fills the store without a back half. Every figure runs from the user
// action (or the findings reaching the store) to the first task after the frame that shows the
// result was painted (requestAnimationFrame, then a posted message), so it includes the store
// update, filtering / sorting, React's render and commit, style, layout and paint:
// - time to first rows: from the findings reaching the store, over several fresh page loads;
// - cold sort / cold search: the first sort by a column, or the first search, right after the first
//   rows, before the idle-time preparation (sort orders, search text) has finished;
// - sort / filter: after the idle-time preparation, header clicks and filter changes.
// Target: each under 200 ms. Prints medians and every run.

import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from '@playwright/test';
import { median } from './stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COUNT = Number(process.env.UI_BENCH_FINDINGS ?? 100_000);
const TARGET_MS = 200;
const LOADS = Number(process.env.UI_BENCH_LOADS ?? 6);
const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** Page-side helper (source text: tsx would wrap named functions with helpers the page does not have): resolves in the first task after the next frame was painted. */
const AFTER_PAINT = `window.__afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => resolve(performance.now()); ch.port2.postMessage(0); }));`;

/** Records when the first finding rows were painted (performance.now() in window.__firstRowsPainted). */
const FIRST_ROWS_WATCH = `new MutationObserver((_, obs) => {
  if (document.querySelector('[data-finding-id]')) { obs.disconnect(); window.__afterPaint().then((t) => { window.__firstRowsPainted = t; }); }
}).observe(document, { childList: true, subtree: true });`;

/**
 * Runs `action` in the page and resolves with the ms until a frame showing a different first row
 * or shown count was painted.
 */
async function timeUntilTableChanges(page: Page, action: string): Promise<number> {
  const script = `(async () => {
    const first = () => { const el = document.querySelector('[data-finding-id]'); const c = document.querySelector('[data-testid=shown-count]'); return (el ? el.getAttribute('data-finding-id') : '') + '|' + (c ? c.textContent : ''); };
    const before = first();
    const t0 = performance.now();
    ${action};
    for (;;) {
      const t = await window.__afterPaint();
      if (first() !== before) return t - t0;
      if (t - t0 > 10000) return NaN;
    }
  })()`;
  return page.evaluate(script) as Promise<number>;
}

const clickHeader = (label: string) => `[...document.querySelectorAll('.th-button')].find((b) => b.textContent.startsWith(${JSON.stringify(label)})).click()`;
const setFilter = (key: string, value: string) => `window.__runkeyStore.getState().setFilters({ ${key}: ${JSON.stringify(value)} })`;

/** Polls a page expression until it is true (waitForFunction would evaluate it with eval, which the app's CSP forbids). */
async function until(page: Page, expression: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Loads the bench page; resolves with the ms from the findings reaching the store to the first rows painted. */
async function load(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await until(page, 'window.__firstRowsPainted !== undefined');
  return (await page.evaluate(`window.__firstRowsPainted - performance.getEntriesByName('bench:data-ready')[0].startTime`)) as number;
}

export async function run(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'runkey-ui-bench-'));
  const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', out, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('renderer build failed');
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = normalize(join(out, path === '/' ? 'index.html' : path));
    try {
      const body = readFileSync(file.startsWith(out) ? file : join(out, 'index.html'));
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const url = `http://127.0.0.1:${port}/?bench=${COUNT}`;
    const firstRows: number[] = [];
    const coldSorts: number[] = [];
    const coldSearches: number[] = [];
    const coldColumns = ['Host', 'Value data', 'Writer', 'Time (UTC)'];
    for (let i = 0; i < LOADS; i++) {
      // a fresh page each time: nothing cached from the run before
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript({ content: AFTER_PAINT + FIRST_ROWS_WATCH });
      firstRows.push(await load(page, url));
      if (i % 2 === 0) coldSorts.push(await timeUntilTableChanges(page, clickHeader(coldColumns[(i / 2) % coldColumns.length])));
      else coldSearches.push(await timeUntilTableChanges(page, setFilter('search', 'mshta')));
      await page.close();
    }

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript({ content: AFTER_PAINT + FIRST_ROWS_WATCH });
    await load(page, url);
    await until(page, `performance.getEntriesByName('runkey:prepared').length > 0`);
    const rowsInDom = await page.locator('[data-finding-id]').count();
    const sorts: number[] = [];
    for (const col of ['Host', 'Value data', 'Time (UTC)', 'Writer', 'Host', 'Severity']) sorts.push(await timeUntilTableChanges(page, clickHeader(col)));
    const filters: number[] = [];
    for (const [k, v] of [['host', 'ws-01'], ['host', ''], ['search', 'mshta'], ['search', ''], ['writer', 'reg.exe'], ['writer', ''], ['search', 'svc'], ['search', 'svc1'], ['search', 'svc12'], ['search', '']]) {
      filters.push(await timeUntilTableChanges(page, setFilter(k, v)));
    }
    const fmt = (n: number) => `${n.toFixed(0)} ms`;
    const line = (label: string, xs: number[]) => {
      const m = median(xs);
      console.log(`  ${label.padEnd(22)} median ${fmt(m).padStart(6)}, max ${fmt(Math.max(...xs))}; runs ${xs.map(fmt).join(', ')}  (target < ${TARGET_MS} ms: ${m < TARGET_MS ? 'ok' : 'OVER TARGET'})`);
    };
    console.log(`  findings: ${COUNT.toLocaleString('en-US')} (rows in the DOM: ${rowsInDom}, virtualized); times to the frame painted`);
    line('time to first rows:', firstRows);
    line('cold sort (1st click):', coldSorts);
    line('cold search (1st):', coldSearches);
    line('sort by a column:', sorts);
    line('apply a filter:', filters);
  } finally {
    await browser.close();
    server.close();
    rmSync(out, { recursive: true, force: true });
  }
}
