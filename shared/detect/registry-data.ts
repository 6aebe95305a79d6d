// Registry value data as the logs spell it, read for what it is. Sysmon writes binary data as the
// words "Binary Data", an empty string as "(Empty)" and numbers as "DWORD (0x00000001)"; 4657 and
// Defender write numbers plainly; command lines (reg add /t REG_BINARY /d …) and exports give bytes
// as hex. Only text can be a command Windows runs at logon: nothing, a number or an unlogged blob
// has no payload to judge.

import { filetimeToIso } from '../model/time';

const SYSMON_BINARY = /^binary data$/i;
/** "DWORD (0x00000001)"; a QWORD comes as one number or as two halves, "QWORD (0x00000000-0x00000001)". */
const SYSMON_NUMBER = /^(?:dword|qword) \(0x([0-9a-f]+)(-0x[0-9a-f]+)?\)$/i;
/** Sysmon's spelling of an empty string. */
const SYSMON_EMPTY = /^\(empty\)$/i;

/** Sysmon's stand-in for binary data: the bytes themselves are not in the log. */
export function isUnloggedBinary(v: string): boolean {
  return SYSMON_BINARY.test(v.trim());
}

/** No data in the record: nothing, Sysmon's "(Empty)", 4657's "-" (Defender leaves binary data empty). */
export function isDataLeftOut(v: string): boolean {
  const s = v.trim();
  return s === '' || s === '-' || SYSMON_EMPTY.test(s);
}

/** Data that cannot be a command line: none, Sysmon's "Binary Data", a DWORD / QWORD. */
export function isNonTextData(v: string): boolean {
  const s = v.trim();
  return isDataLeftOut(s) || SYSMON_BINARY.test(s) || SYSMON_NUMBER.test(s);
}

/**
 * Value data in one spelling across sources: Sysmon "DWORD (0x00000001)", 4657 / Defender "1"; text
 * trimmed, case-insensitive. undefined = unknown: Sysmon's "Binary Data" agrees with whatever bytes
 * another source shows.
 */
export function dataForm(v: string): string | undefined {
  const s = v.trim();
  if (SYSMON_BINARY.test(s)) return undefined;
  if (SYSMON_EMPTY.test(s)) return '';
  const n = SYSMON_NUMBER.exec(s);
  // which half of a two-part QWORD is the high one is not documented: unknown, like binary data
  if (n) return n[2] ? undefined : String(parseInt(n[1], 16));
  if (/^0x[0-9a-f]+$/i.test(s)) return String(parseInt(s.slice(2), 16));
  return s.toLowerCase();
}

/**
 * Bytes spelled as hex: "02 00 00 00", "02,00,00,00", "hex:02,00", "hex(3):02,00" (a .reg export),
 * "020000000000" (reg add /d), "0x0200…". undefined when the text is anything else.
 */
export function hexBytes(v: string): number[] | undefined {
  // 64 bytes spelled with separators fit in 200 characters; longer text is not a flag
  if (v.length > 200) return undefined;
  const s = v.trim().replace(/^hex(?:\([0-9a-f]+\))?:/i, '').replace(/^0x/i, '');
  if (!s) return undefined;
  const parts = /[\s,]/.test(s) ? s.split(/[\s,]+/).filter((t) => t !== '') : s.match(/[\s\S]{1,2}/g) ?? [];
  if (parts.length > 64 || !parts.every((t) => /^[0-9a-f]{2}$/i.test(t))) return undefined;
  return parts.map((t) => parseInt(t, 16));
}

/** What a StartupApproved value says about the Run or Startup entry of the same name. */
export interface StartupApprovedState {
  enabled: boolean;
  /** The first byte: even (0x02, 0x06) enabled, odd (0x01, 0x03, 0x07) disabled. */
  flag: number;
  /** When it was disabled: the FILETIME in bytes 4–11, when set. */
  changed?: string;
}

/**
 * Explorer's StartupApproved data (12 bytes: a flag, three zero bytes, a FILETIME). Task Manager and
 * Settings write 0x02 to enable an entry and 0x03 plus the time to disable it; an entry with no value
 * here runs. undefined when the bytes are not in the data (Sysmon never logs them).
 */
export function startupApprovedState(v: string): StartupApprovedState | undefined {
  const b = hexBytes(v);
  if (!b) return undefined;
  const flag = b[0];
  const st: StartupApprovedState = { enabled: (flag & 1) === 0, flag };
  if (!st.enabled && b.length >= 12) {
    const lo = (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0;
    const hi = (b[8] | (b[9] << 8) | (b[10] << 16) | (b[11] << 24)) >>> 0;
    if (lo || hi) st.changed = filetimeToIso(lo, hi);
  }
  return st;
}
