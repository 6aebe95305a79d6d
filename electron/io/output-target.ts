// Where `scan --out` may write. Evidence is never written to, whatever name it is reached by, so an
// output path is judged by what it is, not how it is spelled: refused when it is (device + inode,
// links followed) any evidence file or folder given or found, and when the folder it would be
// created in is (after resolving links) inside an evidence folder given, since nothing is created
// beside evidence. The last path component is not followed for the write itself: the output is
// renamed into place (writeFileAtomic), which replaces a link there instead of writing through it.
// A folder that cannot be resolved is refused too: the write would fail there, and saying so before
// a long scan is kinder than after it.

import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileIdentity } from './expand-inputs';

export type OutputRefusal =
  | { code: 'OUT_IS_EVIDENCE'; evidence: string }
  | { code: 'OUT_IN_EVIDENCE_FOLDER'; evidence: string }
  | { code: 'OUT_IS_FOLDER' }
  | { code: 'OUT_FOLDER_UNREADABLE'; reason: string };

export interface EvidenceSet {
  /** The evidence folders given. */
  dirs: readonly string[];
  /** fileIdentity() of every evidence file and folder, to a path naming it. */
  identities: ReadonlyMap<string, string>;
}

/** True when `inner` is `outer` or lies under it (both real paths). */
function within(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Why `out` must not be written, or undefined when it may be. */
export async function refuseOutput(out: string, evidence: EvidenceSet): Promise<OutputRefusal | undefined> {
  const abs = resolve(out);
  try {
    const st = await stat(abs, { bigint: true });
    const hit = evidence.identities.get(fileIdentity(st));
    if (hit !== undefined) return { code: 'OUT_IS_EVIDENCE', evidence: hit };
    // the rename would fail there, after the whole scan
    if (st.isDirectory()) return { code: 'OUT_IS_FOLDER' };
  } catch (e) {
    // nothing there yet (or a dangling link, which the rename replaces): a new file
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return { code: 'OUT_FOLDER_UNREADABLE', reason: code ?? String(e) };
  }
  let folder: string;
  try {
    folder = await realpath(dirname(abs));
  } catch (e) {
    return { code: 'OUT_FOLDER_UNREADABLE', reason: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
  for (const d of evidence.dirs) {
    let real: string;
    try {
      real = await realpath(d);
    } catch (e) {
      // expandInputs stat'ed it a moment ago; gone now, it holds nothing to protect
      void e;
      continue;
    }
    if (within(real, folder)) return { code: 'OUT_IN_EVIDENCE_FOLDER', evidence: d };
  }
  return undefined;
}

/** One line naming the output and the evidence (or the reason) it was refused for. */
export function refusalMessage(out: string, r: OutputRefusal): string {
  switch (r.code) {
    case 'OUT_IS_EVIDENCE':
      return `--out ${out} is the evidence file ${r.evidence} (same file, by device and inode): refusing to overwrite evidence`;
    case 'OUT_IN_EVIDENCE_FOLDER':
      return `--out ${out} is inside the evidence folder ${r.evidence}: refusing to write beside evidence`;
    case 'OUT_IS_FOLDER':
      return `--out ${out} is a folder: give the path of a file`;
    case 'OUT_FOLDER_UNREADABLE':
      return `--out ${out}: cannot write output there (${r.reason})`;
  }
}
