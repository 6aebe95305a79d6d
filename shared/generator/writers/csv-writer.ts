// Defender advanced-hunting CSV (one file per table), RFC 4180: comma-separated, CRLF line ends,
// fields quoted when they hold a comma, a quote, CR or LF, quotes doubled. This is evidence, so
// values are written as the source would export them (no formula neutralising here).

import { DEFENDER_COLUMNS, type DefenderRow, type DefenderTable } from '../render/defender';

export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvHeader(table: DefenderTable): string {
  return DEFENDER_COLUMNS[table].map(csvField).join(',') + '\r\n';
}

export function csvRow(row: DefenderRow): string {
  return DEFENDER_COLUMNS[row.table].map((c) => csvField(row.values[c] ?? '')).join(',') + '\r\n';
}
