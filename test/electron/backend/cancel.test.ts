// Cancel mid-file: a large Sysmon EVTX (real chunks of a sample, repeated) is read by two workers;
// cancel is called as soon as the first findings arrive. Reading must stop within a second, the
// findings found so far must be kept and analysed, and the case must say it was cancelled.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { HAVE_SAMPLES, samplePath } from '../../samples';
import { buildBigEvtx } from './fixtures/big-evtx';
import { tempDir, testBackend } from './helpers';

const PANACHE = 'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx';

describe.skipIf(!HAVE_SAMPLES)('cancel', () => {
  let dir: string;
  let big: string;
  beforeAll(async () => {
    dir = await tempDir('cancel');
    big = join(dir, 'big-sysmon.evtx');
    await buildBigEvtx(samplePath(PANACHE), big, 96 * 1024 * 1024);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stops reading a large file within a second of cancel and keeps the findings found so far', async () => {
    const t = await testBackend({ workers: 2 });
    try {
      const firstFindings = new Promise<void>((resolve) => {
        const off = t.backend.subscribe((name) => {
          if (name === 'findings.added') {
            off();
            resolve();
          }
        });
      });
      const opened = await t.backend.openPaths([big]);
      expect(opened.ok).toBe(true);
      await firstFindings;
      const cancelAt = Date.now();
      const r = await t.backend.invoke('case.cancel', {});
      expect(r.ok).toBe(true);
      // the analysis flushes the final progress the moment the pool has stopped
      const lastProgress = t.events.filter((e) => e.name === 'ingest.progress').at(-1);
      expect(lastProgress).toBeDefined();
      expect((lastProgress?.at ?? Infinity) - cancelAt).toBeLessThan(1000);

      const done = t.of('ingest.done');
      expect(done).toHaveLength(1);
      expect(done[0].cancelled).toBe(true);
      expect(done[0].snapshot.state).toBe('cancelled');
      const file = done[0].snapshot.files[0];
      expect(file.state).toBe('cancelled');
      expect(file.bytesRead).toBeLessThan(file.size);
      // never claim a hash of bytes not all read: a split file's hash job reads the whole file, so
      // a hash may be there only when it is the whole file's
      if (file.sha256 !== undefined) expect(file.sha256).toBe(createHash('sha256').update(await readFile(big)).digest('hex'));
      const kept = t.of('findings.replaced').at(-1);
      expect(kept?.reason).toBe('analysis');
      expect(kept?.findings.length).toBeGreaterThan(0);
    } finally {
      await t.cleanup();
    }
  });
});
