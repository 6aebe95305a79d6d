// Round trip: the same scenario and seed written as EVTX, Event Viewer XML, Winlogbeat NDJSON and
// Defender CSV, read back by readEvidence and normalized, must give the same events (host, time,
// kind, action, registry path, value data, writer image, command line, parent, file) in every
// format. Defender lower-cases paths and leaves binary data empty; the projection allows for that.

import { describe, expect, it } from 'vitest';
import { generateToMemory } from '../../../shared/generator/generate';
import type { OutputFormat } from '../../../shared/generator/scenarios';
import type { NormalizedEvent } from '../../../shared/model/events';
import { readBack } from './read-back';

const SEED = 7311;

function projection(e: NormalizedEvent): string {
  const host = e.host.toLowerCase();
  const img = (s: string | undefined) => (s ?? '').toLowerCase();
  const path = (s: string) => s.replace(/\\{2,}/g, '\\');
  if (e.kind === 'registry') {
    // Sysmon writes DWORD data as "DWORD (0x00000003)", Defender as "3"; binary as "Binary Data" / nothing
    const raw = e.action === 'set-value' && e.details !== 'Binary Data' ? e.details ?? '' : '';
    const dword = /^DWORD \(0x([0-9a-f]{8})\)$/i.exec(raw);
    const details = dword ? String(parseInt(dword[1], 16)) : raw;
    return [host, e.timeMs, 'registry', e.action, path(e.targetObject), details, path(e.newName ?? ''), img(e.process.image), e.process.pid].join('|');
  }
  if (e.kind === 'process') return [host, e.timeMs, 'process', img(e.process.image), e.process.commandLine ?? '', img(e.parent.image), e.process.pid, e.parent.pid].join('|');
  if (e.kind === 'file') return [host, e.timeMs, 'file', e.targetFilename, img(e.process.image), e.process.pid].join('|');
  return [host, e.timeMs, e.kind, e.eventId].join('|');
}

async function eventsOf(scenario: string, format: OutputFormat, source: NormalizedEvent['source']): Promise<{ list: string[]; problems: number; count: number }> {
  const { files } = generateToMemory({ scenario, seed: SEED, events: 400, format });
  const list: string[] = [];
  let problems = 0;
  let count = 0;
  for (const [name, bytes] of files) {
    if (name === 'answer-key.json') continue;
    const r = await readBack(name, bytes);
    problems += r.problems.length;
    count += r.raw.length;
    for (const e of r.events) if (e.source === source) list.push(projection(e));
  }
  return { list: list.sort(), problems, count };
}

describe('round trip through the readers and the normalizer', () => {
  it('gives the same Sysmon events from EVTX, XML and NDJSON, and the same events from Defender CSV', async () => {
    const evtx = await eventsOf('classroom-basics', 'evtx', 'sysmon');
    expect(evtx.problems).toBe(0);
    expect(evtx.list.length).toBeGreaterThan(300);
    expect(evtx.list.length).toBe(evtx.count); // every record is an event the engine uses
    for (const f of ['xml', 'ndjson'] as const) {
      const other = await eventsOf('classroom-basics', f, 'sysmon');
      expect(other.problems, f).toBe(0);
      expect(other.list, f).toEqual(evtx.list);
    }
    // Every classroom host runs Sysmon, so Defender sees the same logical events.
    const csv = await eventsOf('classroom-basics', 'csv', 'defender');
    expect(csv.problems).toBe(0);
    expect(csv.list).toEqual(evtx.list);
  });

  it('gives the same Security-auditing events (4688 / 4657) from EVTX, XML and NDJSON', async () => {
    const evtx = await eventsOf('no-sysmon-auditing', 'evtx', 'security');
    expect(evtx.problems).toBe(0);
    expect(evtx.list.some((p) => p.includes('|registry|set-value|HKU\\'))).toBe(true);
    expect(evtx.list.some((p) => p.includes('|registry|delete-value|'))).toBe(true);
    for (const f of ['xml', 'ndjson'] as const) {
      const other = await eventsOf('no-sysmon-auditing', f, 'security');
      expect(other.problems, f).toBe(0);
      expect(other.list, f).toEqual(evtx.list);
    }
  });
});
