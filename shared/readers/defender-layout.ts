// Microsoft Defender advanced-hunting exports: which table a header (or row) comes from, decided by
// the marker columns in the field table. Tables are tried in the order DEFENDER_TABLE_MARKERS lists
// them (registry, process, file), because a DeviceProcessEvents export also has FolderPath and
// FileName. A union query's "Type" / "Table" column names the table per row and wins.

import { DEFENDER_TABLE_MARKERS } from '../model/field-table';

const TABLE_NAMES = new Set(Object.keys(DEFENDER_TABLE_MARKERS));

export function defenderTableOf(columns: readonly string[], row?: Record<string, unknown>): string | undefined {
  if (row) {
    for (const k of ['Table', 'Type', '$table']) {
      const v = row[k];
      if (typeof v === 'string' && TABLE_NAMES.has(v)) return v;
    }
  }
  const have = new Set(columns);
  for (const [table, markers] of Object.entries(DEFENDER_TABLE_MARKERS)) {
    if (markers.every((m) => have.has(m))) return table;
  }
  return undefined;
}

/** A header is a Defender export when it has the Timestamp and the device columns every table has. */
export function isDefenderHeader(columns: readonly string[]): boolean {
  const have = new Set(columns);
  return have.has('Timestamp') && (have.has('DeviceName') || have.has('DeviceId'));
}
