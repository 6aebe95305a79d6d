// A finding made from a deleted EVTX record, through the real browser host: the generated Sysmon
// log (seed 4711) with its records deleted from a finding's record to the end of that chunk (free
// space offset moved back, see test/shared/evtx/deleted-records.ts) shows the finding's row with
// "recovered (deleted)" in the Record column and the badge in the detail pane, free of axe
// violations in both themes.

import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from './app-host';
import { generateToMemory } from '../../shared/generator/generate';
import { readEvtx } from '../../shared/evtx/reader';
import { normalize } from '../../shared/normalize/normalize';
import { analyzeEvents } from '../../shared/detect/engine';
import { bytesSource } from '../../shared/readers/types';
import type { RawEvent } from '../../shared/model/raw-event';
import type { NormalizedEvent } from '../../shared/model/events';
import { chunkStart, deleteTail, recordsOf } from '../shared/evtx/deleted-records';

let host: RunningHost;
let evidenceFile: string;
let deletedValueName: string;

async function readAll(b: Uint8Array): Promise<RawEvent[]> {
  const out: RawEvent[] = [];
  for await (const batch of readEvtx(bytesSource(b), { file: 'x.evtx', onProblem: () => undefined })) out.push(...batch);
  return out;
}

test.beforeAll(async () => {
  const { files } = generateToMemory({ scenario: 'mixed', seed: 4711, hosts: 1, events: 500, format: 'evtx' });
  const log = [...files].find(([n]) => n.endsWith('-Sysmon.evtx'))?.[1] as Uint8Array;
  const findings = analyzeEvents((await readAll(log)).map((e) => normalize(e)).filter((n): n is NormalizedEvent => n !== undefined));
  // a listed (high or critical, not baselined) finding past its chunk's first record, with a value name to find its row by
  const f = findings.find((x) => x.valueName && (x.severity === 'high' || x.severity === 'critical') && x.baseline.status === 'none'
    && x.evidence.ref.offset !== undefined && x.evidence.ref.offset > chunkStart(x.evidence.ref.chunk as number) + 512);
  if (!f) throw new Error('the generated Sysmon log has no finding to delete');
  const c = f.evidence.ref.chunk as number;
  const recs = recordsOf(log, c);
  const from = recs.findIndex((r) => chunkStart(c) + r.off === f.evidence.ref.offset);
  deletedValueName = f.valueName as string;
  const dir = mkdtempSync(join(tmpdir(), 'runkey-recovered-evidence-'));
  evidenceFile = join(dir, 'deleted-Sysmon.evtx');
  writeFileSync(evidenceFile, deleteTail(log, c, recs, from));
  host = await startHost();
});

test.afterAll(async () => {
  await host?.stop();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a finding from a deleted record says "recovered (deleted)" in its row and detail (${scheme})`, async ({ page }) => {
    await page.setViewportSize({ width: 1400, height: 800 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(host.url);
    const start = page.getByRole('button', { name: 'Open evidence…' });
    const newCase = page.getByRole('button', { name: 'New case…' });
    await expect(start.or(newCase)).toBeVisible();
    if (await newCase.isVisible()) await newCase.click();
    await page.getByTestId('file-input').setInputFiles([evidenceFile]);
    await expect(page.getByText('Case ready')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('columnheader', { name: /Record/ })).toBeVisible();
    const row = page.locator('[data-finding-id]').filter({ hasText: 'recovered (deleted)' }).filter({ hasText: deletedValueName }).first();
    await expect(row).toBeVisible();
    // only findings past the deletion point are marked
    expect(await page.locator('[data-finding-id]').filter({ hasText: 'recovered (deleted)' }).count()).toBeLessThan(await page.locator('[data-finding-id]').count());
    await row.click();
    await expect(page.locator('#detail-title')).toContainText('recovered (deleted)');
    await expect(page.getByRole('list', { name: 'Evidence records' })).toContainText('recovered (deleted)');
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)).toEqual([]);
  });
}
