// Value spellings that differ between exporters of the same record and are made one here.
// GUIDs: Windows renders Sysmon's ProcessGuid as "{5aa13a44-0d08-…}", libevtx upper-cases it,
// EvtxECmd and evtx_dump drop the braces, Get-WinEvent | ConvertTo-Json writes the bare GUID.
// Correlation joins on these values across files, so a GUID becomes "{lower-case}" everywhere.
// Anything that is not a GUID is returned unchanged.

const GUID_RE = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}

/** The common '{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}' spelling, checked without a regex (per-event hot path). */
function isBracedGuid(s: string): boolean {
  if (s.length !== 38 || s.charCodeAt(0) !== 123 || s.charCodeAt(37) !== 125) return false;
  for (let i = 1; i < 37; i++) {
    const c = s.charCodeAt(i);
    if (i === 9 || i === 14 || i === 19 || i === 24 ? c !== 45 : !isHex(c)) return false;
  }
  return true;
}

// The last two braced GUIDs seen and their canonical form: a process's events (and a process
// start's own and parent GUIDs) repeat them.
let memoIn0 = '';
let memoOut0 = '';
let memoIn1 = '';
let memoOut1 = '';

export function canonicalGuid(s: string): string {
  if (s === memoIn0) return memoOut0;
  if (s === memoIn1) return memoOut1;
  if (isBracedGuid(s)) {
    // braces and dashes have no case: one flat lower-cased copy (or s itself when already lower
    // case), not a concatenation that every later reader of its characters must flatten
    const out = s.toLowerCase();
    memoIn1 = memoIn0;
    memoOut1 = memoOut0;
    memoIn0 = s;
    memoOut0 = out;
    return out;
  }
  const m = GUID_RE.exec(s.trim());
  return m ? `{${m[1].toLowerCase()}}` : s;
}
