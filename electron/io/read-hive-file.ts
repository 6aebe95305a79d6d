// Hives among a scan's inputs, told by content: a regf base block whose file type is 0 (primary).
// A transaction log (.LOG1 / .LOG2 / .LOG carry a regf base block too, file type 1, 2 or 6) is no
// evidence of its own: it is read with its hive (hive-logs.ts), so the scan skips it rather than
// reporting UNKNOWN_FORMAT. A hive is read whole (hives are tens of MB at most; the regf reader
// needs random access), hashed from the same bytes, and opened with its logs applied; every
// problem goes to onProblem and nothing throws out of here for a damaged file.

import type { ReadOnceSource } from './read-once-source';
import { problem, type Problem } from '../../shared/model/problems';
import { openHiveWithLogs } from '../../shared/regf/apply-logs';
import type { Hive } from '../../shared/regf/hive';
import type { LogReplay } from '../../shared/regf/apply-logs';
import { readHiveLogs } from './hive-logs';

export type RegfRole = 'hive' | 'log' | undefined;

/** 'hive' for a primary hive file, 'log' for a transaction log, undefined for anything else, told from the file's first 32 bytes. */
export function regfRole(head: Uint8Array): RegfRole {
  if (head.length < 32 || head[0] !== 0x72 || head[1] !== 0x65 || head[2] !== 0x67 || head[3] !== 0x66) return undefined;
  const fileType = (head[28] | (head[29] << 8) | (head[30] << 16) | (head[31] << 24)) >>> 0;
  return fileType === 0 ? 'hive' : 'log';
}

export interface ReadHive {
  file: string;
  hive?: Hive;
  replay?: LogReplay;
  sha256?: string;
  size?: number;
}

/** Reads the hive whole through `src` (the source its role was told from: one read, hashed as it lands) and closes it. */
export async function readHiveFile(file: string, src: ReadOnceSource, onProblem: (p: Problem) => void): Promise<ReadHive> {
  let bytes: Uint8Array;
  let sha256: string | undefined;
  try {
    bytes = await src.read(0, src.size);
    sha256 = await src.sha256();
  } catch (e) {
    onProblem(problem('UNREADABLE', 'error', file, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`));
    return { file };
  } finally {
    await src.close();
  }
  const logs = await readHiveLogs(file, onProblem);
  const { opened, replay } = openHiveWithLogs(bytes, logs, { file, onProblem });
  return { file, hive: opened.ok ? opened.hive : undefined, replay, sha256, size: bytes.length };
}
