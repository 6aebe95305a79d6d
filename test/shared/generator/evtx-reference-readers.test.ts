// Every EVTX file the generator writes must read back, record for record and field for field,
// with libevtx (evtxexport -f xml), python-evtx (evtx_dump.py) and the project's own EVTX reader.
// Tools that are not installed are skipped with the reason printed.

import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateToMemory } from '../../../shared/generator/generate';
import type { WinRecord } from '../../../shared/generator/render/windows-event';
import { readEvtx } from '../../../shared/evtx/reader';
import { bytesSource, collect } from '../../../shared/readers/types';
import { rawString } from '../../../shared/model/raw-event';
import { diffRecord, parseToolXml, type ToolRecord } from './evtx-compare';

const SEED = 20260302;
const PYTHON = '/usr/bin/python3';

function have(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.error === undefined && r.status !== 127;
}
const HAVE_EVTXEXPORT = have('evtxexport', ['-V']);
const EVTX_DUMP = spawnSync('sh', ['-c', 'command -v evtx_dump.py'], { encoding: 'utf8' }).stdout.trim();
const HAVE_PYTHON_EVTX = EVTX_DUMP !== '' && spawnSync(PYTHON, ['-c', 'import Evtx'], { encoding: 'utf8' }).status === 0;
if (!HAVE_EVTXEXPORT) console.warn('[skip] evtxexport (libevtx-utils) not installed: libevtx comparison skipped');
if (!HAVE_PYTHON_EVTX) console.warn(`[skip] python-evtx (${PYTHON} with the Evtx module, evtx_dump.py) not installed: python-evtx comparison skipped`);

// Three hosts: Sysmon + Security, Sysmon only, Security only (the mixed scenario's logging mix).
const written = new Map<string, WinRecord[]>();
const { files } = generateToMemory({
  scenario: 'mixed', seed: SEED, hosts: 3, events: 900, format: 'evtx',
  observe: (file, r) => {
    if ('channelName' in r) (written.get(file) ?? written.set(file, []).get(file) as WinRecord[]).push(r);
  },
});
const evtxFiles = [...files.keys()].filter((f) => f.endsWith('.evtx')).sort();

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rkh-gen-evtx-'));
  for (const f of evtxFiles) writeFileSync(join(dir, f), files.get(f) as Uint8Array);
  return () => rmSync(dir, { recursive: true, force: true });
});

function compareAll(file: string, got: ToolRecord[]): void {
  const exp = written.get(file) ?? [];
  expect(got.length, `${file}: record count`).toBe(exp.length);
  const diffs = exp.flatMap((r, i) => (got[i] ? diffRecord(r, got[i]) : [`record ${r.recordId}: missing`]));
  expect(diffs.slice(0, 10), file).toEqual([]);
}

describe('generated EVTX read back by reference readers', () => {
  it('writes Sysmon and Security files for the hosts that log them, with more than one chunk each', () => {
    expect(evtxFiles.some((f) => f.endsWith('-Sysmon.evtx'))).toBe(true);
    expect(evtxFiles.some((f) => f.endsWith('-Security.evtx'))).toBe(true);
    for (const f of evtxFiles) expect((files.get(f) as Uint8Array).length, f).toBeGreaterThan(4096 + 2 * 65536);
  });

  it.skipIf(!HAVE_EVTXEXPORT)('libevtx evtxexport returns every record with the same System fields and EventData', () => {
    for (const f of evtxFiles) {
      const xml = execFileSync('evtxexport', ['-f', 'xml', join(dir, f)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      compareAll(f, parseToolXml(xml));
    }
  });

  it.skipIf(!HAVE_EVTXEXPORT)('libevtx reports no damaged chunk or record', () => {
    for (const f of evtxFiles) {
      const r = spawnSync('evtxexport', ['-f', 'xml', join(dir, f)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      expect(r.status, f).toBe(0);
      expect(r.stderr, f).not.toMatch(/unable|error|corrupt/i);
    }
  });

  it.skipIf(!HAVE_PYTHON_EVTX)('python-evtx returns every record with the same System fields and EventData', () => {
    for (const f of evtxFiles) {
      const xml = execFileSync(PYTHON, [EVTX_DUMP, join(dir, f)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      compareAll(f, parseToolXml(xml));
    }
  }, 180_000); // python-evtx is slow: about 1 MB per 10 s

  it('the project EVTX reader returns every record with the same fields and no problems', async () => {
    for (const f of evtxFiles) {
      const problems: string[] = [];
      const raw = await collect(readEvtx(bytesSource(files.get(f) as Uint8Array), { file: f, onProblem: (p) => problems.push(`${p.code} ${p.message}`) }));
      expect(problems, f).toEqual([]);
      const got: ToolRecord[] = raw.map((e) => ({
        recordId: e.ref.recordId ?? -1, eventId: e.system.eventId ?? -1, provider: e.system.provider ?? '', channel: e.system.channel ?? '',
        computer: e.system.computer ?? '', time: e.system.timeCreated ?? '', userId: e.system.userSid,
        data: new Map(Object.entries(e.data).map(([k, v]) => [k, rawString(v) ?? ''])),
      }));
      compareAll(f, got);
    }
  });
});
