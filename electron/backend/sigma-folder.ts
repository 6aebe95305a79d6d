// Reads the analyst's folder of Sigma rules (recursively, *.yml / *.yaml) for the workers. Rule
// files are the app's input, not evidence, but they are still only read. Limits keep a wrong
// folder choice (a whole disk) from stalling the app: at most MAX_FILES files of MAX_FILE_BYTES.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuleFile } from '../../shared/sigma/index';

export const MAX_FILES = 20_000;
export const MAX_FILE_BYTES = 1024 * 1024;

export interface SigmaFolder {
  files: RuleFile[];
  /** Files or folders skipped, with why. */
  skipped: { path: string; reason: string }[];
}

export async function readSigmaFolder(dir: string): Promise<SigmaFolder> {
  const files: RuleFile[] = [];
  const skipped: SigmaFolder['skipped'] = [];
  async function walk(p: string): Promise<void> {
    if (files.length >= MAX_FILES) return;
    let entries;
    try {
      entries = await readdir(p, { withFileTypes: true });
    } catch (e) {
      skipped.push({ path: p, reason: (e as NodeJS.ErrnoException).code ?? String(e) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const full = join(p, ent.name);
      if (ent.isSymbolicLink()) continue;
      if (ent.isDirectory()) await walk(full);
      else if (ent.isFile() && /\.ya?ml$/i.test(ent.name)) {
        if (files.length >= MAX_FILES) {
          skipped.push({ path: full, reason: `more than ${MAX_FILES} rule files` });
          return;
        }
        const size = (await stat(full)).size;
        if (size > MAX_FILE_BYTES) skipped.push({ path: full, reason: `over ${MAX_FILE_BYTES} bytes` });
        else files.push({ path: full, text: await readFile(full, 'utf8') });
      }
    }
  }
  await walk(dir);
  return { files, skipped };
}
