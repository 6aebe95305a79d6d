// The settings file under concurrent changes: overlapping updates of this process and updates of
// two processes on one data folder each change only their own field, so all of them land; a
// worker count given at start applies to the run without being written to the file.

import { describe, expect, it } from 'vitest';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SETTINGS_FILE, SettingsStore } from '../../../electron/backend/settings-store';
import { tempDir } from './helpers';
import { killHard, spawnFixture, waitForLine, type Child } from './spawn-fixture';

const onDisk = async (dir: string): Promise<unknown> => JSON.parse(await readFile(join(dir, SETTINGS_FILE), 'utf8'));

describe('settings store', () => {
  it('two overlapping updates of different fields both land', async () => {
    const dir = await tempDir('settings');
    try {
      const store = await SettingsStore.open(dir);
      const [a, b] = await Promise.all([store.update({ sigmaRulesFolder: '/rules/sigma' }), store.update({ workers: 3 })]);
      expect([a.ok, b.ok]).toEqual([true, true]);
      expect(store.get()).toEqual({ sigmaRulesFolder: '/rules/sigma', workers: 3 });
      expect(await onDisk(dir)).toEqual({ sigmaRulesFolder: '/rules/sigma', workers: 3 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('two processes updating different fields at once keep both changes', async () => {
    const dir = await tempDir('settings');
    const racers: Child[] = [];
    try {
      await writeFile(join(dir, SETTINGS_FILE), JSON.stringify({ sigmaRulesFolder: '/old', workers: 1 }));
      for (const patch of [{ sigmaRulesFolder: '/rules/new' }, { workers: 6 }]) {
        racers.push(spawnFixture('test/electron/backend/fixtures/store-racer.ts', ['settings', dir, JSON.stringify(patch)]));
      }
      await Promise.all(racers.map((c) => waitForLine(c, /^ready$/)));
      const answers = racers.map((c) => waitForLine(c, /^\[.*\]$/, 60_000));
      for (const c of racers) c.stdin.write('go\n');
      for (const a of await Promise.all(answers)) expect(JSON.parse(a[0])).toEqual(['ok']);
      expect(await onDisk(dir)).toEqual({ sigmaRulesFolder: '/rules/new', workers: 6 });
      expect((await SettingsStore.open(dir)).get()).toEqual({ sigmaRulesFolder: '/rules/new', workers: 6 });
    } finally {
      for (const c of racers) await killHard(c);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a start-up worker count applies to the run but is not written when another field changes', async () => {
    const dir = await tempDir('settings');
    try {
      await writeFile(join(dir, SETTINGS_FILE), JSON.stringify({ sigmaRulesFolder: null, workers: 2 }));
      const store = await SettingsStore.open(dir, { workers: 8 });
      expect(store.get().workers).toBe(8);
      expect((await store.update({ sigmaRulesFolder: '/r' })).ok).toBe(true);
      expect(store.get()).toEqual({ sigmaRulesFolder: '/r', workers: 8 });
      expect(await onDisk(dir)).toEqual({ sigmaRulesFolder: '/r', workers: 2 });
      expect((await store.update({ workers: 4 })).ok).toBe(true);
      expect(store.get().workers).toBe(4);
      expect(await onDisk(dir)).toEqual({ sigmaRulesFolder: '/r', workers: 4 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
