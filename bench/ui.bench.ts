// UI benchmark: the renderer with 100,000 synthetic findings in headless Chromium (Debian's). The
// renderer is built into a temporary folder and served by a small static server; the dev-only
// benchmark page (?bench=N) fills the store without a back half. Measured from the store update to
// the DOM showing the result: time to first rows, to sort by a column (a header click), and to apply
// a filter. Target: each under 200 ms. Prints the median of a few runs.

import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from '@playwright/test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COUNT = Number(process.env.UI_BENCH_FINDINGS ?? 100_000);
const TARGET_MS = 200;
const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Runs `action` in the page and resolves with the ms until the first row or the shown count differs from before.
 * Passed as source text: tsx would wrap named functions with helpers the page does not have.
 */
async function timeUntilTableChanges(page: Page, action: string): Promise<number> {
  const script = `(async () => {
    const first = () => { const el = document.querySelector('[data-finding-id]'); const c = document.querySelector('[data-testid=shown-count]'); return (el ? el.getAttribute('data-finding-id') : '') + '|' + (c ? c.textContent : ''); };
    const before = first();
    const t0 = performance.now();
    ${action};
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      if (first() !== before) return performance.now() - t0;
      if (performance.now() - t0 > 10000) return NaN;
    }
  })()`;
  return page.evaluate(script) as Promise<number>;
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
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript({
      content: `new MutationObserver((_, obs) => {
        if (document.querySelector('[data-finding-id]')) { window.__firstRowsAt = performance.now(); obs.disconnect(); }
      }).observe(document, { childList: true, subtree: true });`,
    });
    await page.goto(`http://127.0.0.1:${port}/?bench=${COUNT}`);
    await page.waitForSelector('[data-finding-id]', { timeout: 60_000 });
    const firstRows = (await page.evaluate(`window.__firstRowsAt - performance.getEntriesByName('bench:data-ready')[0].startTime`)) as number;
    const rowsInDom = await page.locator('[data-finding-id]').count();

    const sorts: number[] = [];
    for (const col of ['Host', 'Value data', 'Time (UTC)', 'Writer', 'Host']) {
      sorts.push(await timeUntilTableChanges(page, `[...document.querySelectorAll('.th-button')].find((b) => b.textContent.startsWith(${JSON.stringify(col)})).click()`));
    }
    const filters: number[] = [];
    for (const [k, v] of [['host', 'ws-01'], ['host', ''], ['search', 'mshta'], ['search', ''], ['writer', 'reg.exe'], ['writer', '']]) {
      filters.push(await timeUntilTableChanges(page, `window.__runkeyStore.getState().setFilters({ ${k}: ${JSON.stringify(v)} })`));
    }
    const fmt = (n: number) => `${n.toFixed(0)} ms`;
    const verdict = (n: number) => (n < TARGET_MS ? 'ok' : 'OVER TARGET');
    console.log(`  findings: ${COUNT.toLocaleString('en-US')} (rows in the DOM: ${rowsInDom}, virtualized)`);
    console.log(`  time to first rows:   ${fmt(firstRows)}  (target < ${TARGET_MS} ms: ${verdict(firstRows)})`);
    console.log(`  sort by a column:     median ${fmt(median(sorts))}, runs ${sorts.map(fmt).join(', ')}  (target < ${TARGET_MS} ms: ${verdict(median(sorts))})`);
    console.log(`  apply a filter:       median ${fmt(median(filters))}, runs ${filters.map(fmt).join(', ')}  (target < ${TARGET_MS} ms: ${verdict(median(filters))})`);
  } finally {
    await browser.close();
    server.close();
    rmSync(out, { recursive: true, force: true });
  }
}
