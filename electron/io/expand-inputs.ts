// Turns the paths a user gave (files and folders) into the list of evidence files, in a stable
// order. Folders are walked recursively; links are not followed out of the tree; nothing is opened
// for writing. Paths that do not exist are returned as problems, not thrown.

import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface ExpandedInputs {
  files: string[];
  missing: { path: string; reason: string }[];
}

export async function expandInputs(paths: readonly string[]): Promise<ExpandedInputs> {
  const files: string[] = [];
  const missing: { path: string; reason: string }[] = [];
  const seen = new Set<string>();
  async function walk(p: string): Promise<void> {
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      missing.push({ path: p, reason: (e as NodeJS.ErrnoException).code ?? String(e) });
      return;
    }
    if (st.isDirectory()) {
      const entries = await readdir(p, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const ent of entries) {
        if (ent.isSymbolicLink()) continue;
        await walk(join(p, ent.name));
      }
    } else if (st.isFile()) {
      const abs = resolve(p);
      if (!seen.has(abs)) {
        seen.add(abs);
        files.push(p);
      }
    }
  }
  for (const p of paths) await walk(p);
  return { files, missing };
}
