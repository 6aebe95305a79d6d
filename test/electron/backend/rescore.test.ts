// A baseline change re-scores the open case without re-reading the evidence, and the new entry is
// on disk for the next start.

import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, samplePath } from '../../samples';
import type { Finding } from '../../../shared/model/finding';
import type { BaselineState, SuppressionPreview } from '../../../shared/api';
import { testBackend } from './helpers';
import { createBackend } from '../../../electron/backend/backend';

const PANACHE = 'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx';

describe.skipIf(!HAVE_SAMPLES)('baseline re-scoring', () => {
  it('previews, adds an exact-value entry, re-scores without reading again, and keeps the entry on disk', async () => {
    const t = await testBackend({ workers: 1 });
    try {
      await t.backend.openPaths([samplePath(PANACHE)]);
      await t.backend.whenIdle();
      const list = await t.backend.invoke('findings.list', {});
      if (!list.ok) throw new Error(list.error.message);
      const target = (list.value as { findings: Finding[] }).findings.find((f) => f.baseline.status === 'none');
      expect(target).toBeDefined();
      if (!target) return;
      const entry = { analyst: 'test', reason: 'lab tool', match: { kind: 'exact-value' as const, value: target.value } };

      const preview = await t.backend.invoke('baseline.previewSuppression', { entry });
      if (!preview.ok) throw new Error(preview.error.message);
      const p = preview.value as SuppressionPreview;
      expect(p.findingIds).toContain(target.id);
      expect(p.count).toBe(p.findingIds.length);

      const progressBefore = t.of('ingest.progress').length;
      const added = await t.backend.invoke('baseline.addEntry', { entry });
      if (!added.ok) throw new Error(added.error.message);
      const replaced = t.of('findings.replaced').at(-1);
      expect(replaced?.reason).toBe('baseline');
      expect(replaced?.findings.find((f) => f.id === target.id)?.baseline.status).not.toBe('none');
      expect(replaced?.findings.filter((f) => f.baseline.status !== 'none' && p.findingIds.includes(f.id)).length).toBe(p.count);
      expect(t.of('ingest.progress').length).toBe(progressBefore); // nothing was read again
      expect(t.of('baseline.changed').at(-1)?.entries).toHaveLength(1);

      // the next start loads it
      const again = await createBackend({ host: 'browser', dataDir: t.dataDir, demoDir: t.dataDir, workers: 1 });
      const got = await again.invoke('baseline.get', {});
      await again.close();
      if (!got.ok) throw new Error(got.error.message);
      expect((got.value as BaselineState).entries.map((e) => e.match)).toEqual([entry.match]);
    } finally {
      await t.cleanup();
    }
  });
});
