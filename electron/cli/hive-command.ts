// `runkey-hunter hive FILE|DIR… [--key PATH]…`: one NDJSON line per key and per value of each
// registry hive (recognised by its regf signature, not its name), or of the subtrees at the
// --key paths only, found through the hive's own hash lists without walking the rest. Problems
// go to stderr, one line each (file, offset, code), then a summary per file. Exit 2 when a file
// given could not be read as a hive (the others are still read); files found in a folder that
// are no hive, or are a hive's transaction log, are passed over. A hive's transaction logs beside
// it (NAME.LOG / .LOG1 / .LOG2, any case) are applied in memory when they apply (--no-logs: the
// file as it is), and keys and values whose cells the logs changed say `fromLog: true`. The
// evidence is read into memory once and never written.

import type { Command } from 'commander';
import { open, readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { expandInputs } from '../io/expand-inputs';
import { formatProblem, countByCode, type Problem } from '../../shared/model/problems';
import { looksLikeHive } from '../../shared/regf/base-block';
import { type AppliedLog, openHiveWithLogs } from '../../shared/regf/apply-logs';
import { NO_CELL } from '../../shared/regf/cell';
import { type Hive, type RegKey, type RegValue } from '../../shared/regf/hive';
import type { LogOrigin } from '../../shared/regf/log-origin';
import { readHiveLogs } from '../io/hive-logs';
import { deletedLines } from './hive-deleted-lines';
import { writeOut } from './write-lines';
import { terminalSafe } from './terminal-safe';

export interface HiveKeyLine {
  file: string;
  kind: 'key';
  /** From the hive's root, '\'-separated, without the root key's name ('' is the root). */
  path: string;
  name: string;
  lastWritten: string;
  subkeys: number;
  values: number;
  className?: string;
  owner?: string;
  deleted: false;
  /** The key node as read comes from a transaction log: the primary file alone holds it otherwise or not at all. */
  fromLog?: true;
  /** File offset of the key node's cell (of the hive as replayed, when logs applied). */
  offset: number;
}

export interface HiveValueLine {
  file: string;
  kind: 'value';
  /** The key's path. */
  path: string;
  /** '' for the default value. */
  name: string;
  type: string;
  typeCode: number;
  size: number;
  /** REG_SZ, REG_EXPAND_SZ (never expanded), REG_LINK: up to the first NUL; REG_QWORD: decimal. */
  text?: string;
  /** REG_MULTI_SZ. */
  items?: string[];
  /** REG_DWORD, REG_DWORD_BIG_ENDIAN. */
  number?: number;
  /** The bytes as stored, for every other type and for strings whose text does not say them exactly. */
  base64?: string;
  deleted: false;
  /** The value's cell or its data cell comes from a transaction log. */
  fromLog?: true;
  offset: number;
}

export function keyLine(file: string, hive: Hive, k: RegKey, origin?: LogOrigin): HiveKeyLine {
  const line: HiveKeyLine = {
    file, kind: 'key', path: k.path, name: k.name, lastWritten: k.lastWritten,
    subkeys: k.node.subkeyCount, values: k.node.valueCount, deleted: false, offset: k.offset,
  };
  const cls = hive.className(k);
  if (cls !== undefined) line.className = cls;
  const owner = hive.ownerSid(k);
  if (owner !== undefined) line.owner = owner;
  if (origin?.cellFromLog(k.cell)) line.fromLog = true;
  return line;
}

function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** The vk cell, or the cell its data lives in (a big-data value: its list cell, not each segment). */
function valueFromLog(origin: LogOrigin, v: RegValue): boolean {
  return origin.cellFromLog(v.cell) || (!v.inline && v.size > 0 && v.dataOffset !== NO_CELL && origin.cellFromLog(v.dataOffset));
}

export function valueLine(file: string, hive: Hive, k: RegKey, v: RegValue, origin?: LogOrigin): HiveValueLine {
  const line: HiveValueLine = { file, kind: 'value', path: k.path, name: v.name, type: v.typeName, typeCode: v.type, size: v.size, deleted: false, offset: v.offset };
  const decoded = hive.valueData(v);
  switch (decoded.kind) {
    case 'string':
      line.text = decoded.text;
      if (!decoded.exact) line.base64 = base64(hive.valueBytes(v));
      break;
    case 'strings':
      line.items = decoded.items;
      if (!decoded.exact) line.base64 = base64(hive.valueBytes(v));
      break;
    case 'number':
      line.number = decoded.value;
      break;
    case 'qword':
      line.text = decoded.value.toString();
      break;
    case 'bytes':
      line.base64 = base64(hive.valueBytes(v));
      break;
  }
  if (origin && valueFromLog(origin, v)) line.fromLog = true;
  return line;
}

/** The first 32 bytes of a file (fewer when it is shorter), read-only. */
async function head(file: string): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = new Uint8Array(32);
    const { bytesRead } = await fh.read(buf, 0, 32, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function isPrimaryHive(h: Uint8Array): boolean {
  return looksLikeHive(h) && h.length >= 32 && h[28] === 0 && h[29] === 0 && h[30] === 0 && h[31] === 0;
}

interface HiveOptions {
  key: string[];
  /** false with --no-logs. */
  logs: boolean;
  /** --deleted: also the deleted keys and values a scan of the unused bytes finds. */
  deleted?: boolean;
}

function appliedText(applied: readonly AppliedLog[]): string {
  if (applied.length === 0) return 'none applied';
  return applied.map((a) => `${terminalSafe(basename(a.name))} (${a.format === 'new' ? `${a.entries} entries, sequence ${a.firstSequence}-${a.lastSequence}` : 'dirty pages'}, ${a.pageBytes} bytes)`).join(' + ') + ' applied';
}

const FLUSH_AT = 1 << 16;

export function registerHiveCommand(program: Command): void {
  program
    .command('hive')
    .description('print one NDJSON line per key and value of registry hives (NTUSER.DAT, SOFTWARE, SYSTEM …), recognised by content')
    .argument('<paths...>', 'hive files, or folders to look for hives in')
    .option('--no-logs', "read each hive as the file holds it, without the transaction logs beside it (NAME.LOG, .LOG1, .LOG2)")
    .option('--deleted', 'also print deleted keys and values (free cells, slack, past the last hive bin) with deleted: true and their cell offset')
    .option('--key <path>', "only this key and its subkeys ('\\'-separated from the hive's root, any case); repeatable", (p: string, prev: string[]) => prev.concat(p), [])
    .action(async (paths: string[], opts: HiveOptions) => {
      const { files, missing } = await expandInputs(paths);
      const given = new Set(paths.map((p) => resolve(p)));
      let failed = missing.length > 0;
      for (const m of missing) console.error(`runkey-hunter: ${terminalSafe(m.path)}: cannot read (${m.reason})`);
      const say = (p: Problem) => console.error(`runkey-hunter: ${p.level}: ${terminalSafe(formatProblem(p))}`);
      for (const file of files) {
        const explicit = given.has(resolve(file));
        let data: Uint8Array;
        try {
          // in a folder, only primary hives: other evidence (a multi-GB EVTX is not read whole to
          // find out) and the .LOG1/.LOG2 copies (file type 1, 6) are not ours
          if (!explicit && !isPrimaryHive(await head(file))) continue;
          data = new Uint8Array(await readFile(file));
        } catch (e) {
          failed = true;
          console.error(`runkey-hunter: ${terminalSafe(file)}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
          continue;
        }
        const logs = opts.logs ? await readHiveLogs(file, say) : [];
        const { opened, replay } = openHiveWithLogs(data, logs, { file, onProblem: say, dirtyNote: opts.logs ? undefined : 'transaction logs not read (--no-logs)' });
        const origin = replay.origin;
        if (!opened.ok) {
          failed = true;
          continue;
        }
        const hive = opened.hive;
        let keys = 0;
        let values = 0;
        let text = '';
        const emit = async (s: string) => {
          text += s + '\n';
          if (text.length >= FLUSH_AT) {
            await writeOut(text);
            text = '';
          }
        };
        const roots: RegKey[] = [];
        if (opts.key.length === 0) {
          const root = hive.root();
          if (root) roots.push(root);
        } else {
          for (const p of opts.key) {
            const k = hive.key(p);
            if (k) roots.push(k);
            else console.error(`runkey-hunter: ${terminalSafe(file)}: no key ${terminalSafe(JSON.stringify(p))}`);
          }
        }
        // a key at a time, writing as it goes, so a large hive streams with back-pressure
        for (const root of roots) {
          for (const k of hive.keysUnder(root)) {
            keys++;
            await emit(JSON.stringify(keyLine(file, hive, k, origin)));
            for (const v of hive.values(k)) {
              values++;
              await emit(JSON.stringify(valueLine(file, hive, k, v, origin)));
            }
          }
        }
        let deleted = '';
        if (opts.deleted) {
          const d = deletedLines(file, hive, opts.key);
          for (const l of d.lines) await emit(l);
          for (const p of d.problems) say(p);
          deleted = `; deleted: ${d.keys} keys, ${d.values} values`;
        }
        await writeOut(text);
        const counts = Object.entries(countByCode([...replay.problems, ...hive.problems])).map(([c, n]) => `${n} ${c}`).join(', ');
        console.error(`runkey-hunter: ${terminalSafe(file)}: ${keys} keys, ${values} values${deleted}; transaction logs: ${opts.logs ? appliedText(replay.applied) : 'not read (--no-logs)'}; problems: ${counts || 'none'}`);
      }
      process.exitCode = failed ? 2 : 0;
    });
}
