// A hive's transaction logs, found beside it by name: NAME.LOG, NAME.LOG1, NAME.LOG2 in any case
// (evidence copied off a Windows volume keeps Windows' case-insensitive names in any spelling,
// e.g. ntuser.dat.LOG1 beside NTUSER.DAT), read whole, read-only. A log that cannot be read is
// left out and said (UNREADABLE); whether a log applies is shared/regf/apply-logs' decision.

import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { problem, type Problem } from '../../shared/model/problems';
import type { LogInput } from '../../shared/regf/apply-logs';

const SUFFIXES = ['.LOG', '.LOG1', '.LOG2'];

/** Paths of the logs beside `hive`, in .LOG, .LOG1, .LOG2 order (several spellings of one are all kept). */
export async function findHiveLogs(hive: string, onProblem: (p: Problem) => void): Promise<string[]> {
  const dir = dirname(hive);
  const wanted = new Map(SUFFIXES.map((s, i) => [(basename(hive) + s).toUpperCase(), i]));
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    // the hive itself was read from here, so this is rare (a folder without list permission)
    onProblem(problem('UNREADABLE', 'warning', dir, `cannot look for ${basename(hive)}'s transaction logs here (${(e as NodeJS.ErrnoException).code ?? String(e)})`));
    return [];
  }
  return names
    .filter((n) => wanted.has(n.toUpperCase()))
    .sort((a, b) => (wanted.get(a.toUpperCase()) ?? 0) - (wanted.get(b.toUpperCase()) ?? 0) || (a < b ? -1 : 1))
    .map((n) => join(dir, n));
}

export async function readHiveLogs(hive: string, onProblem: (p: Problem) => void): Promise<LogInput[]> {
  const out: LogInput[] = [];
  for (const path of await findHiveLogs(hive, onProblem)) {
    try {
      out.push({ name: path, bytes: new Uint8Array(await readFile(path)) });
    } catch (e) {
      onProblem(problem('UNREADABLE', 'warning', path, `transaction log cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`));
    }
  }
  return out;
}
