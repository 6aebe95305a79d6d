// Two hosts on one data folder (the app and the CLI, or two windows): a baseline change made by one
// is what the other shows and applies next, without a restart.

import { describe, expect, it } from 'vitest';
import { testBackend } from './helpers';
import type { BaselineState } from '../../../shared/api';

describe('a data folder shared by two hosts', () => {
  it("shows and announces the other host's baseline change at the next baseline.get", async () => {
    const a = await testBackend();
    const b = await testBackend({ dataDir: a.dataDir });
    try {
      const entriesOf = async (t: typeof b) => {
        const r = await t.backend.invoke('baseline.get', {});
        if (!r.ok) throw new Error(r.error.message);
        return (r.value as BaselineState).entries;
      };
      expect(await entriesOf(b)).toHaveLength(0);
      const added = await a.backend.invoke('baseline.addEntry', { entry: { reason: 'from the other host', match: { kind: 'host', host: 'LAB-1' } } });
      expect(added.ok).toBe(true);
      expect((await entriesOf(b)).map((e) => e.reason)).toEqual(['from the other host']);
      expect(b.of('baseline.changed').at(-1)?.entries).toHaveLength(1);
      // nothing changed since: no second announcement
      const n = b.of('baseline.changed').length;
      await b.backend.invoke('baseline.get', {});
      expect(b.of('baseline.changed')).toHaveLength(n);
    } finally {
      await b.backend.close();
      await a.cleanup();
    }
  });
});
