// The raw view of a JSON record shows that record: for an array or a search response written on one
// line, the element the event came from, not the whole line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readRawRecord } from '../../../electron/backend/raw-record';
import { openFileSource } from '../../../electron/io/file-source';
import { readEvidence } from '../../../shared/readers/read-evidence';
import type { RawEvent } from '../../../shared/model/raw-event';
import { tempDir } from './helpers';

/** A Sysmon registry write as Winlogbeat ships it (ECS), with a marker in its value. */
const doc = (n: number) => ({
  '@timestamp': `2024-05-01T10:00:0${n}.000Z`,
  host: { name: 'WS1' },
  event: { code: '13', provider: 'Microsoft-Windows-Sysmon' },
  winlog: {
    channel: 'Microsoft-Windows-Sysmon/Operational', event_id: 13, provider_name: 'Microsoft-Windows-Sysmon', record_id: 100 + n, computer_name: 'WS1',
    event_data: { EventType: 'SetValue', TargetObject: 'HKU\\S-1-5-21-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\u', Details: `C:\\Users\\Public\\marker${n}.exe`, Image: 'C:\\Windows\\System32\\reg.exe', ProcessId: '42', UtcTime: `2024-05-01 10:00:0${n}.000` },
  },
});

async function events(path: string): Promise<RawEvent[]> {
  const src = await openFileSource(path);
  try {
    const out: RawEvent[] = [];
    for await (const b of readEvidence(src, { file: path, onProblem: () => undefined })) out.push(...b);
    return out;
  } finally {
    await src.close();
  }
}

describe('raw record of a JSON event', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('raw-json');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [name, text] of [
    ['response.json', JSON.stringify({ took: 3, hits: { total: { value: 3 }, hits: [0, 1, 2].map((n) => ({ _index: 'logs', _id: `id${n}`, _source: doc(n) })) } })],
    ['array.json', JSON.stringify([0, 1, 2].map(doc))],
  ] as const) {
    it(`shows the one element an event came from (${name})`, async () => {
      const path = join(dir, name);
      await writeFile(path, text + '\n');
      const evs = await events(path);
      expect(evs).toHaveLength(3);
      for (const [n, ev] of evs.entries()) {
        expect(ev.ref.index).toBe(n);
        const r = await readRawRecord(path, ev.ref);
        expect(r.ok).toBe(true);
        const shown = r.ok ? r.value.text : '';
        expect(shown).toContain(`marker${n}.exe`);
        for (const other of [0, 1, 2].filter((x) => x !== n)) expect(shown).not.toContain(`marker${other}.exe`);
      }
    });
  }
});
