// readEvidenceFile hands its reader options to readEvidence: with evtxWantedFields an EVTX file is
// read on the fast path, so the events hold only the wanted EventData names (System fields always).
import { describe, expect, it } from 'vitest';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import type { RawEvent } from '../../../shared/model/raw-event';
import { writeGeneratedCase } from '../cli/generated-case';

async function readAll(path: string, wanted?: ReadonlySet<string>): Promise<RawEvent[]> {
  const out: RawEvent[] = [];
  for await (const b of readEvidenceFile(path, { onProblem: () => undefined }, wanted ? { evtxWantedFields: wanted } : {})) out.push(...b);
  return out;
}

describe('readEvidenceFile', () => {
  it('reads EVTX on the wantedFields fast path when given the names', async () => {
    const sysmon = writeGeneratedCase('read-file').files.find((f) => f.endsWith('-Sysmon.evtx')) ?? '';
    const full = await readAll(sysmon);
    const fast = await readAll(sysmon, new Set(['Image']));
    expect(fast.length).toBe(full.length);
    expect(full.some((e) => Object.keys(e.data).some((k) => k !== 'Image'))).toBe(true);
    expect(fast.every((e) => Object.keys(e.data).every((k) => k === 'Image'))).toBe(true);
    expect(fast.filter((e) => e.data.Image !== undefined).length).toBe(full.filter((e) => e.data.Image !== undefined).length);
    expect(fast.map((e) => e.system)).toEqual(full.map((e) => e.system));
  });
});
