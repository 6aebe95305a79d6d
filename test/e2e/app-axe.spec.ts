// Accessibility of the main screens, checked with axe-core in Chromium through the real browser
// host: the start screen, the settings dialog, the finding table with the detail pane, the false-positive form and the
// baseline editor, in the light and the dark theme.

import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, type RunningHost } from './app-host';
import { attackChainXml } from './app-evidence';

let host: RunningHost;
let evidenceFile: string;

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runkey-axe-evidence-'));
  evidenceFile = join(dir, 'axe-sysmon.xml');
  writeFileSync(evidenceFile, attackChainXml());
  host = await startHost();
});

test.afterAll(async () => {
  await host?.stop();
});

async function violations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the main screens have no axe violations (${scheme})`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(host.url);
    // the palette follows the system scheme, and an explicit choice (data-theme) wins over it
    const bodyBg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await bodyBg()).toBe(scheme === 'dark' ? 'rgb(20, 23, 28)' : 'rgb(255, 255, 255)');
    const other = scheme === 'dark' ? 'light' : 'dark';
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), other);
    expect(await bodyBg()).toBe(other === 'dark' ? 'rgb(20, 23, 28)' : 'rgb(255, 255, 255)');
    await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));
    const start = page.getByRole('button', { name: 'Open evidence…' });
    const newCase = page.getByRole('button', { name: 'New case…' });
    await expect(start.or(newCase)).toBeVisible();
    if (await newCase.isVisible()) await newCase.click();
    await expect(start).toBeVisible();
    expect(await violations(page), 'start screen').toEqual([]);

    await page.getByRole('button', { name: 'Settings…' }).click();
    await expect(page.getByTestId('sigma-status')).toHaveText(/No Sigma rules folder/);
    expect(await violations(page), 'settings dialog').toEqual([]);
    await page.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeHidden();

    await page.getByTestId('file-input').setInputFiles([evidenceFile]);
    await expect(page.getByText('Case ready')).toBeVisible({ timeout: 60_000 });
    await page.locator('[data-finding-id]').filter({ hasText: 'Updater' }).first().click();
    await expect(page.locator('#detail-title')).toBeVisible();
    await page.getByRole('button', { name: /^Filters/ }).click();
    expect(await violations(page), 'table with the detail pane').toEqual([]);

    await page.getByRole('button', { name: 'Mark as false positive…' }).click();
    await expect(page.getByTestId('fp-preview')).toHaveText(/Will suppress/);
    expect(await violations(page), 'false-positive form').toEqual([]);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: /^Baseline/ }).click();
    await expect(page.getByRole('heading', { name: 'Baseline' })).toBeVisible();
    expect(await violations(page), 'baseline editor').toEqual([]);

    await page.getByRole('button', { name: 'Case timeline' }).click();
    await expect(page.getByRole('heading', { name: 'Case timeline' })).toBeVisible();
    expect(await violations(page), 'case timeline').toEqual([]);
  });
}
