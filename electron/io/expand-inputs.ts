// Turns the paths a user gave (files and folders) into the list of evidence files, in a stable
// order. Folders are walked recursively; links are not followed out of the tree; nothing is opened
// for writing. Paths that do not exist are returned as problems, not thrown.
// It also says what the evidence IS, not only how it was named: the folders given and the identity
// (device + inode, after links) of every file and folder given or found, so an output path can be
// refused when it is evidence under another name (a symlink, a hard link, `a/../a/x.evtx`).

import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface ExpandedInputs {
  files: string[];
  missing: { path: string; reason: string }[];
  /** The folders among the paths given, as given. */
  dirs: string[];
  /** fileIdentity() of every evidence file and folder given or found, to the first path it was found by. */
  identities: Map<string, string>;
}

/** Device and inode as one key: equal for two names of one file (a hard link; a symlink once followed). */
export function fileIdentity(st: { dev: bigint; ino: bigint }): string {
  return `${st.dev}:${st.ino}`;
}

export async function expandInputs(paths: readonly string[]): Promise<ExpandedInputs> {
  const files: string[] = [];
  const missing: { path: string; reason: string }[] = [];
  const dirs: string[] = [];
  const identities = new Map<string, string>();
  const seen = new Set<string>();
  async function walk(p: string, given: boolean): Promise<void> {
    let st;
    try {
      // bigint: 64-bit inode numbers (XFS, network file systems) do not fit a double
      st = await stat(p, { bigint: true });
    } catch (e) {
      missing.push({ path: p, reason: (e as NodeJS.ErrnoException).code ?? String(e) });
      return;
    }
    if (st.isDirectory()) {
      if (given) dirs.push(p);
      const id = fileIdentity(st);
      if (!identities.has(id)) identities.set(id, p);
      const entries = await readdir(p, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const ent of entries) {
        if (ent.isSymbolicLink()) continue;
        await walk(join(p, ent.name), false);
      }
    } else if (st.isFile()) {
      const id = fileIdentity(st);
      if (!identities.has(id)) identities.set(id, p);
      const abs = resolve(p);
      if (!seen.has(abs)) {
        seen.add(abs);
        files.push(p);
      }
    }
  }
  for (const p of paths) await walk(p, true);
  return { files, missing, dirs, identities };
}
