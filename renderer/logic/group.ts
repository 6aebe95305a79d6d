// Grouping by normalized value: the rarity view ("same value on 12 hosts"). Groups keep the order
// of their first member in the already-sorted input, so sorting the table sorts the groups. A group
// of one is shown as a plain row: a header for a single finding would only add noise.

import type { Finding, Severity } from '../../shared/model/finding';
import { maxSeverity } from './severity';

export interface FindingGroup {
  key: string;
  findings: Finding[];
  hosts: number;
  severity: Severity;
}

export type TableRow =
  | { type: 'group'; group: FindingGroup; expanded: boolean }
  | { type: 'finding'; finding: Finding; depth: 0 | 1 };

export function groupByNormalizedValue(sorted: readonly Finding[]): FindingGroup[] {
  const byKey = new Map<string, Finding[]>();
  for (const f of sorted) {
    const k = f.normalizedValue || f.value;
    const list = byKey.get(k);
    if (list) list.push(f);
    else byKey.set(k, [f]);
  }
  const out: FindingGroup[] = [];
  for (const [key, findings] of byKey) {
    const hosts = new Set(findings.map((f) => f.host.toLowerCase())).size;
    out.push({ key, findings, hosts, severity: maxSeverity(findings.map((f) => f.severity)) });
  }
  return out;
}

/** The flat list the virtualized table renders. */
export function tableRows(sorted: readonly Finding[], grouped: boolean, expanded: ReadonlySet<string>): TableRow[] {
  if (!grouped) return sorted.map((finding) => ({ type: 'finding', finding, depth: 0 }));
  const rows: TableRow[] = [];
  for (const group of groupByNormalizedValue(sorted)) {
    if (group.findings.length === 1) {
      rows.push({ type: 'finding', finding: group.findings[0], depth: 0 });
      continue;
    }
    const open = expanded.has(group.key);
    rows.push({ type: 'group', group, expanded: open });
    if (open) for (const finding of group.findings) rows.push({ type: 'finding', finding, depth: 1 });
  }
  return rows;
}

export function groupSummary(g: FindingGroup): string {
  const n = g.findings.length;
  return `same value ${n} times on ${g.hosts} ${g.hosts === 1 ? 'host' : 'hosts'}`;
}
