// The committed demo case (assets/demo) is exactly what `npm run demo:build` makes now: a change
// to the generator that alters the demo must come with the rebuilt demo.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemo } from '../../../electron/generate/build-demo';
import { REPO_ROOT } from '../../samples';
import type { AnswerKey } from '../../../shared/generator/answer-key';
import { ATTACK_STORIES } from '../../../shared/generator/stories/attacks';

const DEMO = join(REPO_ROOT, 'assets', 'demo');

describe('demo case', () => {
  it('is byte-identical to a fresh build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rkh-demo-test-'));
    try {
      const commands = await buildDemo(dir);
      expect(readFileSync(join(DEMO, 'README.md'), 'utf8')).toContain(commands.join('\n'));
      for (const sub of ['case', 'answer-keys']) {
        expect(readdirSync(join(DEMO, sub)).sort(), sub).toEqual(readdirSync(join(dir, sub)).sort());
        for (const f of readdirSync(join(dir, sub))) {
          expect(Buffer.compare(readFileSync(join(DEMO, sub, f)), readFileSync(join(dir, sub, f))), `${sub}/${f}`).toBe(0);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds every attack story, Sysmon / Security / Defender evidence and stays under about 2 MB', () => {
    const key = JSON.parse(readFileSync(join(DEMO, 'answer-keys', 'windows-evtx.json'), 'utf8')) as AnswerKey;
    expect(new Set(key.stories.map((s) => s.id))).toEqual(new Set(ATTACK_STORIES.map((s) => s.id)));
    expect(new Set(key.hosts.map((h) => h.logging))).toEqual(new Set(['sysmon', 'security', 'sysmon+security']));
    const files = readdirSync(join(DEMO, 'case'));
    expect(files.filter((f) => f.endsWith('.csv')).sort()).toEqual(['DeviceFileEvents.csv', 'DeviceProcessEvents.csv', 'DeviceRegistryEvents.csv']);
    const total = [...files.map((f) => join(DEMO, 'case', f)), ...readdirSync(join(DEMO, 'answer-keys')).map((f) => join(DEMO, 'answer-keys', f))]
      .reduce((n, p) => n + statSync(p).size, 0);
    expect(total).toBeLessThan(2.2 * 1024 * 1024);
  });
});
