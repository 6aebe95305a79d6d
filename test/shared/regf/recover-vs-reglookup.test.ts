// Deleted entries on every sample hive of HIVES.md against Debian's reglookup-recover: every key
// and value it recovers (by cell offset and name) we recover too, and nothing we report as
// deleted is live (its cell is not one the live walk reads).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { openHive } from '../../../shared/regf/hive';
import { recoverDeleted } from '../../../shared/regf/recover-deleted';
import { candidateKey, candidateValue } from '../../../shared/regf/recover-records';
import { HAVE_RECOVER, reglookupRecover, sameName } from './reglookup-recover';

function primaryHives(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...primaryHives(p));
    else if (st.size >= 4096) {
      const b = readFileSync(p).subarray(0, 32);
      if (b.toString('latin1', 0, 4) === 'regf' && b.readUInt32LE(28) === 0) out.push(p);
    }
  }
  return out.sort();
}

const HIVES = HAVE_SAMPLES ? ['mkorman90_regipy', 'msuhanov_yarp/hives_for_tests', 'log2timeline_dfwinreg'].flatMap((d) => primaryHives(samplePath(d))) : [];

describe.skipIf(!HAVE_SAMPLES || !HAVE_RECOVER)(`deleted data vs reglookup-recover (${HAVE_SAMPLES ? (HAVE_RECOVER ? 'ready' : 'reglookup-recover not installed') : NO_SAMPLES_REASON})`, () => {
  it('finds at least what reglookup-recover finds on every sample hive, and no live cell', () => {
    expect(HIVES.length).toBeGreaterThan(50);
    const totals = { theirs: 0, ours: 0, missed: [] as string[], implausible: 0, live: 0 };
    const perHive: string[] = [];
    for (const f of HIVES) {
      const r = openHive(new Uint8Array(readFileSync(f)), { file: f });
      if (!r.ok) continue;
      const hive = r.hive;
      const d = recoverDeleted(hive, { file: f });
      const ours = new Map<string, string>();
      for (const k of d.keys) ours.set(`KEY:${k.offset}`, k.name);
      for (const v of d.values) ours.set(`VALUE:${v.offset}`, v.name);
      const theirs = reglookupRecover(f);
      totals.theirs += theirs.length;
      totals.ours += ours.size;
      // live cells: every key the walk reads and every value of it
      const live = new Set<number>();
      for (const k of hive.keysUnder()) {
        live.add(k.offset);
        for (const v of hive.values(k)) live.add(v.offset);
      }
      const base = 4096;
      let implausible = 0;
      for (const t of theirs) {
        const name = ours.get(`${t.kind}:${t.offset}`);
        if (name !== undefined && sameName(t.nameBytes, name)) continue;
        // the systematic difference: reglookup-recover takes records our plausibility checks
        // refuse (a key with 7,274,563 values named "\x01", values of type 0x001B8020)
        const rel = t.offset - base + 4;
        const ok = t.kind === 'KEY' ? candidateKey(hive.bins, rel, hive.bins.length) : candidateValue(hive.bins, rel, hive.bins.length);
        if (live.has(t.offset)) totals.live++;
        else if (!ok) implausible++;
        else totals.missed.push(`${f}: ${t.kind} at 0x${t.offset.toString(16)}`);
      }
      totals.implausible += implausible;
      perHive.push(`${f.split('/samples/')[1]}: theirs ${theirs.length}, ours ${ours.size} (keys ${d.keys.length}, values ${d.values.length}), theirs refused as implausible ${implausible}`);
      for (const k of d.keys) expect(live.has(k.offset), `${f}: live key at ${k.offset} reported deleted`).toBe(false);
      for (const v of d.values) expect(live.has(v.offset), `${f}: live value at ${v.offset} reported deleted`).toBe(false);
    }
    console.info(perHive.filter((l) => !l.includes('theirs 0, ours 0')).join('\n'));
    console.info(`reglookup-recover: ${totals.theirs} entries on ${HIVES.length} hives; ours: ${totals.ours}; theirs we refuse as implausible: ${totals.implausible}; theirs we count as live: ${totals.live}; missed: ${totals.missed.length}`);
    expect(totals.live).toBe(0);
    expect(totals.implausible).toBeLessThanOrEqual(25);
    expect(totals.missed).toEqual([]);
  }, 240_000);
});
