// Value spellings that differ between exporters of the same record and are made one here.
// GUIDs: Windows renders Sysmon's ProcessGuid as "{5aa13a44-0d08-…}", libevtx upper-cases it,
// EvtxECmd and evtx_dump drop the braces, Get-WinEvent | ConvertTo-Json writes the bare GUID.
// Correlation joins on these values across files, so a GUID becomes "{lower-case}" everywhere.
// Anything that is not a GUID is returned unchanged.

const GUID_RE = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

export function canonicalGuid(s: string): string {
  const m = GUID_RE.exec(s.trim());
  return m ? `{${m[1].toLowerCase()}}` : s;
}
