// The wantedFields fast path of readEvtx (what scanning uses) must give, for every record of every
// real sample, exactly what the full decode gives restricted to the wanted EventData names: the
// same records, System fields, refs, problems and summary. The evtxexport comparison checks the
// full decode; this ties the fast path to it.
import { describe, expect, it } from 'vitest';
import { readEvtx } from '../../../shared/evtx/reader';
import type { Problem } from '../../../shared/model/problems';
import type { RawEvent } from '../../../shared/model/raw-event';
import type { ReadSummary } from '../../../shared/readers/types';
import { FIELD_TABLE } from '../../../shared/model/field-table';
import { normalize, normalizeInputNames } from '../../../shared/normalize/normalize';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, SAMPLES_DIR, filesUnder } from '../../samples';
import { fileSource } from './reference-parsers';

const evtxFiles = (dir: string): string[] => filesUnder(dir, '.evtx');

async function read(path: string, wanted?: ReadonlySet<string>): Promise<{ events: RawEvent[]; problems: Problem[]; summary: ReadSummary }> {
  const src = fileSource(path);
  const problems: Problem[] = [];
  try {
    const g = readEvtx(src, { file: path, onProblem: (p) => problems.push(p) }, { wantedFields: wanted });
    const events: RawEvent[] = [];
    for (;;) {
      const r = await g.next();
      if (r.done) return { events, problems, summary: r.value };
      events.push(...r.value);
    }
  } finally {
    src.close();
  }
}

/** Every EventData name the field table spells for Sysmon or Security, plus unnamed Data items. */
function tableNames(): Set<string> {
  const names = new Set<string>(['Data0', 'Data1', 'UtcTime', 'RuleName']);
  for (const row of FIELD_TABLE) {
    for (const sp of [row.sysmon, row.security]) {
      if (typeof sp === 'string') names.add(sp);
      else if (sp && 'of' in sp) sp.of.forEach((n) => names.add(n));
    }
  }
  return names;
}

describe.skipIf(!HAVE_SAMPLES)('readEvtx wantedFields fast path', () => {
  if (!HAVE_SAMPLES) console.warn(`[skip] ${NO_SAMPLES_REASON}`);
  const files = HAVE_SAMPLES ? evtxFiles(SAMPLES_DIR) : [];

  it('gives the full decode restricted to the wanted names, on every sample', async () => {
    const wantedSets = [tableNames(), new Set<string>(), new Set(['TargetObject'])];
    let compared = 0;
    for (const f of files) {
      const full = await read(f);
      for (const wanted of wantedSets) {
        const fast = await read(f, wanted);
        expect(fast.summary, f).toEqual(full.summary);
        expect(fast.problems, f).toEqual(full.problems);
        expect(fast.events.length, f).toBe(full.events.length);
        for (let i = 0; i < full.events.length; i++) {
          const a = full.events[i];
          const b = fast.events[i];
          const restricted = Object.fromEntries(Object.entries(a.data).filter(([k]) => wanted.has(k)));
          expect(b, `${f} #${i}`).toStrictEqual({ ...a, data: restricted });
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(10000);
  }, 120_000);

  it('with normalizeInputNames() gives the same normalized events as the full decode, on every sample', async () => {
    const wanted = normalizeInputNames();
    let normalized = 0;
    for (const f of files) {
      const full = await read(f);
      const fast = await read(f, wanted);
      expect(fast.events.length, f).toBe(full.events.length);
      for (let i = 0; i < full.events.length; i++) {
        const want = normalize(full.events[i]);
        expect(normalize(fast.events[i]), `${f} #${i}`).toStrictEqual(want);
        if (want) normalized++;
      }
    }
    expect(normalized).toBeGreaterThan(1500);
  }, 120_000);
});
