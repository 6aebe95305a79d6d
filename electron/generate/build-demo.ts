// `npm run demo:build`: regenerates the committed demo case in assets/demo from fixed seeds.
// assets/demo/case/ holds the evidence the app's "Open demo case" loads (Sysmon / Security EVTX
// for a few hosts and Defender CSV tables for another fleet); assets/demo/answer-keys/ holds
// their answer keys, kept out of the case folder so they are not read as evidence. The case folder
// also carries a README saying the generator made it (see demo-case-readme.ts).

import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGenerated } from './write-generated';
import type { RunOptions } from '../../shared/generator/generate';
import { ANSWER_KEY_FILE } from '../../shared/generator/answer-key';
import { DEMO_CASE_README, demoCaseReadme } from './demo-case-readme';

export const DEMO_PARTS: readonly { keyName: string; opts: RunOptions }[] = [
  { keyName: 'windows-evtx.json', opts: { scenario: 'mixed', hosts: 4, events: 400, format: 'evtx', seed: 2026 } },
  { keyName: 'defender-csv.json', opts: { scenario: 'defender-fleet', hosts: 5, events: 300, format: 'csv', seed: 2027 } },
];

export async function buildDemo(demoDir: string): Promise<string[]> {
  const caseDir = join(demoDir, 'case');
  const keyDir = join(demoDir, 'answer-keys');
  await rm(caseDir, { recursive: true, force: true });
  await rm(keyDir, { recursive: true, force: true });
  await mkdir(caseDir, { recursive: true });
  await mkdir(keyDir, { recursive: true });
  const commands: string[] = [];
  for (const part of DEMO_PARTS) {
    const tmp = mkdtempSync(join(tmpdir(), 'rkh-demo-'));
    const key = await writeGenerated(part.opts, tmp);
    commands.push(key.command);
    for (const f of await readdir(tmp)) {
      await rename(join(tmp, f), f === ANSWER_KEY_FILE ? join(keyDir, part.keyName) : join(caseDir, f));
    }
    await rm(tmp, { recursive: true, force: true });
  }
  await writeFile(join(caseDir, DEMO_CASE_README), demoCaseReadme(commands));
  return commands;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const demoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets', 'demo');
  const commands = await buildDemo(demoDir);
  for (const c of commands) console.log(c);
}
