// `runkey-hunter events` through the real bin: one NDJSON line per record, every record, the
// normalized fields where they apply, all raw fields with --all-fields, exit 2 for an unreadable
// input while the others are still read.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { openFileSource } from '../../../electron/io/file-source';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { runBinNdjson } from './run-bin';

const PANACHE = 'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx';
const PICO = 'shankmsd_CTF_Writeups/picoCTF-2025/Forensics/Event-Viewing.events.xml';

const run = (args: string[]) => runBinNdjson(['events', ...args]);

async function readerCount(path: string): Promise<number> {
  const src = await openFileSource(path);
  let n = 0;
  try {
    for await (const batch of readEvidence(src, { file: path, onProblem: () => undefined })) n += batch.length;
  } finally {
    await src.close();
  }
  return n;
}

describe.skipIf(!HAVE_SAMPLES)(`runkey-hunter events (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('prints one line per record read, every record, with normalized fields where they apply', async () => {
    const file = samplePath(PANACHE);
    const r = await run([file]);
    expect(r.code).toBe(0);
    expect(r.lines.length).toBe(await readerCount(file));
    expect(r.lines.length).toBeGreaterThan(500);
    // every record is there, including those detection does not use
    const ids = new Set(r.lines.map((l) => l.eventId));
    expect(ids.size).toBeGreaterThan(3);
    const normalized = r.lines.filter((l) => l.normalized !== undefined);
    expect(normalized.length).toBeGreaterThan(0);
    expect(normalized.length).toBeLessThan(r.lines.length);
    const runWrite = normalized.find((l) => {
      const n = l.normalized as { kind?: string; targetObject?: string };
      return n.kind === 'registry' && /\\CurrentVersion\\Run/i.test(n.targetObject ?? '');
    });
    expect(runWrite).toBeDefined();
    expect(runWrite?.format).toBe('evtx');
    expect(typeof runWrite?.recordId).toBe('number');
    // no raw fields unless asked
    expect(r.lines[0].data).toBeUndefined();
    // stderr is not a terminal here: no progress line
    expect(r.stderr).toBe('');
  });

  it('adds the System header and every EventData field with --all-fields', async () => {
    const r = await run(['--all-fields', samplePath(PICO)]);
    expect(r.code).toBe(0);
    const ev = r.lines.find((l) => l.eventId === 4657);
    expect(ev).toBeDefined();
    const data = ev?.data as Record<string, unknown>;
    expect(data.ObjectName).toMatch(/\\REGISTRY\\MACHINE\\/i);
    expect((ev?.system as { channel?: string }).channel).toBe('Security');
    expect((ev?.normalized as { registryKey?: string }).registryKey).toMatch(/^HKLM\\/);
  });

  it('reports an unreadable file with exit code 2 and still reads the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rkh-events-'));
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    const missing = join(dir, 'no-such-file.evtx');
    const r = await run([junk, missing, samplePath(PICO)]);
    expect(r.code).toBe(2);
    expect(r.lines.length).toBe(await readerCount(samplePath(PICO)));
    expect(r.stderr).toContain('junk.bin');
    expect(r.stderr).toContain('UNKNOWN_FORMAT');
    expect(r.stderr).toContain('no-such-file.evtx');
  });
});
