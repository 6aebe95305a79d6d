// Field names for the rule exporters, read off the one field table (shared/model/field-table.ts):
// Sigma names, Sysmon / Security (4657, 4688) spellings for SPL, Defender columns for KQL. A name
// the table lacks is a programming error caught by the exporters' tests, not guessed here.

import { FIELD_TABLE, type Spelling } from '../model/field-table';
import type { EventKind } from '../model/events';

type Source = 'sigma' | 'sysmon' | 'security' | 'defender';

function plain(sp: Spelling | null): string | undefined {
  if (sp === null) return undefined;
  if (typeof sp === 'string') return sp;
  return undefined;
}

/** The column / field name for a normalized path, or for a joined spelling its parts. */
export function fieldName(kind: EventKind, path: string, source: Source): string {
  const row = FIELD_TABLE.find((r) => (r.kind === kind || r.kind === 'common') && r.path === path);
  if (!row) throw new Error(`field table has no ${kind} row for ${path}`);
  const sp = source === 'sigma' ? row.sigma : row[source];
  const name = plain(sp);
  if (name === undefined) throw new Error(`field table has no plain ${source} name for ${kind}.${path}`);
  return name;
}

/** The parts of a joined spelling (Defender FolderPath + FileName, RegistryKey + RegistryValueName). */
export function joinedFields(kind: EventKind, path: string, source: 'security' | 'defender'): readonly [string, string] {
  const row = FIELD_TABLE.find((r) => r.kind === kind && r.path === path);
  const sp = row?.[source];
  if (!sp || typeof sp === 'string' || !('join' in sp)) throw new Error(`field table has no joined ${source} spelling for ${kind}.${path}`);
  return sp.of;
}
