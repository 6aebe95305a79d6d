// Runs the reference EVTX parsers (libevtx's evtxexport, python-evtx) and parses their output
// into comparable records. Used by the comparison tests; skipped where the tools are absent.

import { execFile, execFileSync } from 'node:child_process';
import { openSync, readSync, fstatSync, closeSync } from 'node:fs';
import type { ByteSource } from '../../../shared/readers/types';

export function haveTool(cmd: string, args: string[] = ['-h']): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch (e) {
    // evtxexport -h exits non-zero but runs: only ENOENT means "not installed"
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export const HAVE_EVTXEXPORT = haveTool('evtxexport', ['-V']);
export const PYTHON_EVTX = '/usr/bin/python3';
export const HAVE_PYTHON_EVTX = (() => {
  try {
    execFileSync(PYTHON_EVTX, ['-c', 'import Evtx.Evtx'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
})();

/** A read-only ByteSource over a file on disk (tests only; the app uses electron/io/file-source). */
export function fileSource(path: string): ByteSource & { close(): void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read: async (offset, length) => {
      const n = Math.max(0, Math.min(length, size - offset));
      const b = new Uint8Array(n);
      if (n > 0) readSync(fd, b, 0, n, offset);
      return b;
    },
    close: () => closeSync(fd),
  };
}

export interface RefRecord {
  system: Record<string, string>;
  data: Record<string, string>;
}

export function runEvtxexport(path: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile('evtxexport', ['-f', 'xml', path], { maxBuffer: 1 << 30, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

const unescape = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#\d+);/g, (_m, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : e === 'amp' ? '&'
      : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)));

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescape(m[1]) : undefined;
};

/** Parses `evtxexport -f xml` output (one `<Event>` block per record) into records. */
export function parseEvtxexportXml(out: string): RefRecord[] {
  const records: RefRecord[] = [];
  const blocks = out.match(/<Event xmlns[^>]*>[\s\S]*?\n<\/Event>/g) ?? [];
  for (const b of blocks) {
    const sys: Record<string, string> = {};
    const sysBlock = /<System>([\s\S]*?)<\/System>/.exec(b)?.[1] ?? '';
    const text = (el: string) => {
      const m = new RegExp(`<${el}(?: [^>]*)?>([^<]*)</${el}>`).exec(sysBlock);
      return m ? unescape(m[1]) : undefined;
    };
    const tag = (el: string) => new RegExp(`<${el}(?: [^>]*)?/?>`).exec(sysBlock)?.[0] ?? '';
    const put = (k: string, v: string | undefined) => {
      if (v !== undefined) sys[k] = v;
    };
    put('EventID', text('EventID'));
    put('Provider', attr(tag('Provider'), 'Name'));
    put('Channel', text('Channel'));
    put('Computer', text('Computer'));
    put('EventRecordID', text('EventRecordID'));
    put('TimeCreated', attr(tag('TimeCreated'), 'SystemTime'));
    put('ProcessID', attr(tag('Execution'), 'ProcessID'));
    put('ThreadID', attr(tag('Execution'), 'ThreadID'));
    put('UserID', attr(tag('Security'), 'UserID'));
    const data: Record<string, string> = {};
    const rest = b.slice(b.indexOf('</System>') + 9);
    const ed = /<EventData(?: [^>]*)?>([\s\S]*?)\n {2}<\/EventData>/.exec(rest)?.[1];
    let unnamed = 0;
    if (ed !== undefined) {
      const re = /<(Data|Binary)((?: [^>]*?)?)(?:\/>|>([\s\S]*?)<\/\1>)/g;
      for (let m = re.exec(ed); m; m = re.exec(ed)) {
        const name = m[1] === 'Binary' ? 'Binary' : attr(m[2], 'Name') ?? `Data${unnamed++}`;
        const v = unescape(m[3] ?? '');
        // a named Data repeated (an array substitution) is compared as the items joined by ','
        data[name] = name in data ? `${data[name]},${v}` : v;
      }
    }
    const ud = /<UserData>([\s\S]*?)\n {2}<\/UserData>/.exec(rest)?.[1];
    if (ud !== undefined) {
      const re = /<([\w:.-]+)((?: [^>]*?)?)(?:\/>|>([^<]*)<\/\1>)/g;
      for (let m = re.exec(ud); m; m = re.exec(ud)) {
        const v = unescape(m[3] ?? '');
        data[m[1]] = m[1] in data ? `${data[m[1]]},${v}` : v;
      }
    }
    records.push({ system: sys, data });
  }
  return records;
}

import type { RawEvent, RawValue } from '../../../shared/model/raw-event';
import { rawString } from '../../../shared/model/raw-event';

/**
 * Rendering conventions where evtxexport differs from Windows (which our reader follows), so the
 * comparison normalises both sides:
 * - hex ints: evtxexport zero-pads to the type's width (0x00000000000003e7), Windows prints 0x3e7;
 *   compared as numbers.
 * - times: evtxexport prints 9 fractional digits for FILETIME (always ending in 00); FILETIME has
 *   100 ns resolution, we print 7; compared at 7.
 */
export function normValue(s: string): string {
  if (/^0x[0-9a-fA-F]+$/.test(s)) return '0x' + BigInt(s).toString(16);
  const t = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7})\d\dZ$/.exec(s);
  if (t) return t[1] + 'Z';
  return s;
}

/**
 * evtxexport prints size_t values in decimal; Windows (and we) print them in hex like other
 * pointer-sized values (e.g. 4656 ProcessId 0x24c). Only this hex/decimal pairing is forgiven.
 */
function sameValue(ours: string | undefined, ref: string | undefined): boolean {
  if (ours === ref) return true;
  if (ours === undefined || ref === undefined) return false;
  // libevtx prints a text value made only of whitespace (seen: a lone "\n") as an empty element
  if (ref === '' && ours.trim() === '') return true;
  // reals: evtxexport prints C's %e (3.199234e+003); compared as numbers at its 7 significant digits
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(ours) && /e[+-]\d+$/i.test(ref)) return Number(Number(ours).toPrecision(7)) === Number(ref);
  return /^0x[0-9a-f]+$/.test(ours) && /^\d+$/.test(ref) && BigInt(ours) === BigInt(ref);
}

export function ourSystem(e: RawEvent): Record<string, string> {
  const s = e.system;
  const out: Record<string, string> = {};
  const put = (k: string, v: string | number | undefined) => {
    if (v !== undefined) out[k] = String(v);
  };
  put('EventID', s.eventId);
  put('Provider', s.provider);
  put('Channel', s.channel);
  put('Computer', s.computer);
  put('EventRecordID', s.recordId);
  put('TimeCreated', s.timeCreated);
  put('ProcessID', s.processId);
  put('ThreadID', s.threadId);
  put('UserID', s.userSid);
  return out;
}

export function ourData(e: RawEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.data)) out[k] = rawString(v as RawValue) ?? '';
  return out;
}

export interface Mismatch {
  recordId: string;
  where: string;
  ours: string | undefined;
  ref: string | undefined;
}

/** Compares records matched by EventRecordID (in order, for files holding an id twice). */
export function compareRecords(ours: RawEvent[], ref: RefRecord[]): { matched: number; missingInOurs: string[]; extraInOurs: string[]; mismatches: Mismatch[] } {
  const byId = new Map<string, RawEvent[]>();
  for (const e of ours) {
    const k = String(e.system.recordId);
    const l = byId.get(k);
    if (l) l.push(e);
    else byId.set(k, [e]);
  }
  const mismatches: Mismatch[] = [];
  const missingInOurs: string[] = [];
  let matched = 0;
  for (const r of ref) {
    const id = r.system.EventRecordID ?? '?';
    const e = byId.get(id)?.shift();
    if (!e) {
      missingInOurs.push(id);
      continue;
    }
    matched++;
    const os = ourSystem(e);
    for (const k of new Set([...Object.keys(r.system), ...Object.keys(os)])) {
      const a = os[k] === undefined ? undefined : normValue(os[k]);
      const b = r.system[k] === undefined ? undefined : normValue(r.system[k]);
      if (!sameValue(a, b)) mismatches.push({ recordId: id, where: `System.${k}`, ours: a, ref: b });
    }
    const od = ourData(e);
    for (const k of new Set([...Object.keys(r.data), ...Object.keys(od)])) {
      const a = od[k] === undefined ? undefined : normValue(od[k]);
      const b = r.data[k] === undefined ? undefined : normValue(r.data[k]);
      if (!sameValue(a, b)) mismatches.push({ recordId: id, where: `Data.${k}`, ours: a, ref: b });
    }
  }
  const extraInOurs = [...byId.values()].flat().map((e) => String(e.system.recordId));
  return { matched, missingInOurs, extraInOurs, mismatches };
}
