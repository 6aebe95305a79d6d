// Which record id an EVTX event cites. Exported / forwarded logs renumber the record HEADERS (1, 2,
// 3 ...) while the System EventRecordID keeps the id the event had on its host, which is what Event
// Viewer, wevtutil, SIEMs and `evtxexport -f xml` show and what a report must cite. ref.recordId is
// the EventRecordID; the header id is kept as ref.headerRecordId when it differs; chunk + offset
// locate the record. Expected ids come from libevtx (evtxexport), not from our own reader.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readEvtx, renderEvtxRecordXml } from '../../../shared/evtx/reader';
import { collect } from '../../../shared/readers/types';
import { eventKey, type RawEvent } from '../../../shared/model/raw-event';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { HAVE_EVTXEXPORT, fileSource, parseEvtxexportXml, runEvtxexport } from './reference-parsers';

const PANACHE = 'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx';
const ISSUE_201 = 'omerbenamram_evtx/samples/issue_201.evtx';
/** One of the few samples whose header ids and EventRecordIDs agree (most samples are re-exported logs). */
const NATIVE = 'sbousseaden_EVTX-ATTACK-SAMPLES/Credential Access/babyshark_mimikatz_powershell.evtx';

async function readAll(rel: string): Promise<RawEvent[]> {
  const path = samplePath(rel);
  const src = fileSource(path);
  try {
    return await collect(readEvtx(src, { file: path, onProblem: () => undefined }));
  } finally {
    src.close();
  }
}

/** The record header ids evtxexport prints in its text mode ("Event number"), in file order. */
function evtxexportHeaderIds(path: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    execFile('evtxexport', [path], { maxBuffer: 1 << 28, timeout: 60_000 }, (err, stdout) => {
      if (err) reject(err);
      else resolve([...stdout.matchAll(/^Event number\s*:\s*(\d+)/gm)].map((m) => Number(m[1])));
    });
  });
}

describe.skipIf(!HAVE_SAMPLES)('EVTX record ids', () => {
  if (!HAVE_SAMPLES) console.warn(`[skip] ${NO_SAMPLES_REASON}`);

  it('cites the System EventRecordID of a re-exported log, keeping the renumbered header id beside it', async () => {
    const events = await readAll(PANACHE);
    expect(events.length).toBeGreaterThan(500);
    for (const e of events) {
      expect(e.ref.recordId).toBe(e.system.recordId);
      expect(e.ref.headerRecordId).toBeDefined();
      expect(e.ref.headerRecordId).not.toBe(e.ref.recordId);
    }
    const issue201 = await readAll(ISSUE_201);
    expect(issue201.map((e) => [e.ref.recordId, e.ref.headerRecordId])).toEqual(issue201.map((e) => [e.system.recordId, e.ref.headerRecordId]));
    expect(issue201.every((e) => e.ref.headerRecordId !== undefined && e.ref.headerRecordId !== e.ref.recordId)).toBe(true);
  });

  it.skipIf(!HAVE_EVTXEXPORT)('gives the EventRecordIDs evtxexport -f xml prints and, as headerRecordId, the header ids of its text mode', async () => {
    const path = samplePath(PANACHE);
    const events = await readAll(PANACHE);
    const xmlIds = parseEvtxexportXml((await runEvtxexport(path)).stdout).map((r) => Number(r.system.EventRecordID));
    const headerIds = await evtxexportHeaderIds(path);
    expect(xmlIds.length).toBe(events.length);
    expect(headerIds.length).toBe(events.length);
    expect(events.map((e) => e.ref.recordId)).toEqual(xmlIds);
    expect(events.map((e) => e.ref.headerRecordId)).toEqual(headerIds);
  });

  it('sets no headerRecordId where the header id equals the EventRecordID', async () => {
    const events = await readAll(NATIVE);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.ref.recordId).toBe(e.system.recordId);
      expect(e.ref).not.toHaveProperty('headerRecordId');
    }
  });

  it('keeps one event key per record and re-renders each record from its chunk and offset', async () => {
    const path = samplePath(PANACHE);
    const events = await readAll(PANACHE);
    expect(new Set(events.map((e) => eventKey(e.ref))).size).toBe(events.length);
    const src = fileSource(path);
    try {
      for (const e of events) {
        const xml = await renderEvtxRecordXml(src, { chunk: e.ref.chunk ?? -1, offset: e.ref.offset ?? -1 });
        expect(xml, eventKey(e.ref)).toContain(`<EventRecordID>${e.ref.recordId}</EventRecordID>`);
      }
    } finally {
      src.close();
    }
  });
});

if (!HAVE_SAMPLES) {
  describe('EVTX record ids', () => {
    it.skip(NO_SAMPLES_REASON, () => undefined);
  });
}
