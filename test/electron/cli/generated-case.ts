// Generated EVTX evidence for the CLI tests: the project's generator, a fixed scenario and seed, the
// files written to a fresh temp folder (never committed).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateToMemory } from '../../../shared/generator/generate';

export const GENERATED = { scenario: 'living-off-the-land', seed: 1, format: 'evtx', events: 300 } as const;

/** The generated EVTX files (name -> bytes), Sysmon and Security of each host. */
export function generatedEvtx(): Map<string, Uint8Array> {
  const { files } = generateToMemory({ ...GENERATED });
  return new Map([...files].filter(([name]) => name.endsWith('.evtx')));
}

/** A temp folder holding the generated EVTX files; returns the folder and the files' paths. */
export function writeGeneratedCase(prefix: string): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), `rkh-${prefix}-`));
  const files: string[] = [];
  for (const [name, bytes] of generatedEvtx()) {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    files.push(p);
  }
  return { dir, files };
}
