// "Open demo case" reads assets/demo/case (evidence only: never the answer keys beside it).

import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../samples';
import type { CaseSnapshot } from '../../../shared/api';
import { testBackend } from './helpers';
import { DEMO_CASE_README } from '../../../electron/generate/demo-case-readme';

const DEMO = join(REPO_ROOT, 'assets', 'demo', 'case');

describe.skipIf(!existsSync(DEMO))('demo case', () => {
  it('opens every evidence file of the demo case, not its README, and none of its answer keys', async () => {
    const t = await testBackend({ workers: 2, demoDir: DEMO });
    try {
      const r = await t.backend.invoke('case.openDemo', {});
      if (!r.ok) throw new Error(r.error.message);
      await t.backend.whenIdle();
      const snap = t.of('ingest.done')[0].snapshot as CaseSnapshot;
      expect(snap.title).toBe('Demo case');
      expect(snap.state).toBe('ready');
      expect(snap.files.length).toBeGreaterThan(0);
      expect(snap.files.every((f) => f.name.startsWith('case/') && f.state === 'done')).toBe(true);
      expect(snap.files.some((f) => f.name.includes('answer'))).toBe(false);
      // every file of the folder but its README (which says the generator made them)
      expect(snap.files.map((f) => f.name).sort()).toEqual(readdirSync(DEMO).filter((f) => f !== DEMO_CASE_README).map((f) => `case/${f}`).sort());
      expect(readdirSync(DEMO)).toContain(DEMO_CASE_README);
      expect(snap.findingCount).toBeGreaterThan(0);
    } finally {
      await t.cleanup();
    }
  });
});
