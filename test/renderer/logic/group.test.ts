import { describe, expect, it } from 'vitest';
import { groupByNormalizedValue, groupSummary, tableRows } from '../../../renderer/logic/group';
import { finding } from './fixtures';

const v1 = 'c:\\users\\userxx\\appdata\\a.exe';
const rows = [
  finding({ id: '1', host: 'WS01', normalizedValue: v1, severity: 'low' }),
  finding({ id: '2', host: 'WS02', normalizedValue: 'other', severity: 'high' }),
  finding({ id: '3', host: 'ws02', normalizedValue: v1, severity: 'critical' }),
  finding({ id: '4', host: 'WS03', normalizedValue: v1, severity: 'medium' }),
];

describe('groupByNormalizedValue', () => {
  it('puts findings with the same normalized value together, in the input order', () => {
    const g = groupByNormalizedValue(rows);
    expect(g.map((x) => [x.key, x.findings.map((f) => f.id)])).toEqual([
      [v1, ['1', '3', '4']],
      ['other', ['2']],
    ]);
  });

  it('counts distinct hosts case-insensitively and takes the highest severity', () => {
    const [g] = groupByNormalizedValue(rows);
    expect(g.hosts).toBe(3); // WS01, ws02, WS03
    expect(g.severity).toBe('critical');
    expect(groupSummary(g)).toBe('same value 3 times on 3 hosts');
  });

  it('shows collapsed groups as one header row and single findings as plain rows', () => {
    const flat = tableRows(rows, true, new Set());
    expect(flat.map((r) => (r.type === 'group' ? `g:${r.group.findings.length}` : r.finding.id))).toEqual(['g:3', '2']);
  });

  it('lists the members under an expanded group', () => {
    const flat = tableRows(rows, true, new Set([v1]));
    expect(flat.map((r) => (r.type === 'group' ? 'g' : `${r.finding.id}@${r.depth}`))).toEqual(['g', '1@1', '3@1', '4@1', '2@0']);
  });

  it('is a plain list when grouping is off', () => {
    expect(tableRows(rows, false, new Set()).map((r) => (r.type === 'finding' ? r.finding.id : 'g'))).toEqual(['1', '2', '3', '4']);
  });
});
