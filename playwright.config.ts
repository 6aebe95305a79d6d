import { defineConfig } from '@playwright/test';

// End-to-end tests drive the browser host in Debian's Chromium (no browser download is possible
// here). The Electron test in test/e2e/electron.spec.ts skips itself, saying why, where no
// Electron binary exists.
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 120_000,
  workers: 1,
  reporter: [['list'], ['json']],
  outputDir: 'test-results/e2e',
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
    screenshot: 'only-on-failure',
  },
});
