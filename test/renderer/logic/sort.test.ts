import { describe, expect, it } from 'vitest';
import { sortFindings } from '../../../renderer/logic/sort';
import { COLUMNS } from '../../../renderer/logic/columns';
import { syntheticFindings } from '../../../renderer/dev/synthetic-findings';
import { finding } from './fixtures';

const ids = (r: { id: string }[]) => r.map((f) => f.id);

describe('sortFindings', () => {
  it('orders severity by rank, then score, most severe first when descending', () => {
    const rows = [
      finding({ id: 'low', severity: 'low', score: 90 }),
      finding({ id: 'crit', severity: 'critical', score: 80 }),
      finding({ id: 'high2', severity: 'high', score: 70 }),
      finding({ id: 'high1', severity: 'high', score: 75 }),
    ];
    expect(ids(sortFindings(rows, { column: 'severity', desc: true }))).toEqual(['crit', 'high1', 'high2', 'low']);
    expect(ids(sortFindings(rows, { column: 'severity', desc: false }))).toEqual(['low', 'high2', 'high1', 'crit']);
  });

  it('sorts text case-insensitively', () => {
    const rows = [finding({ id: '1', host: 'beta' }), finding({ id: '2', host: 'Alpha' }), finding({ id: '3', host: 'GAMMA' })];
    expect(ids(sortFindings(rows, { column: 'host', desc: false }))).toEqual(['2', '1', '3']);
  });

  it('sorts time numerically and puts findings without a time first ascending', () => {
    const rows = [finding({ id: 'late', timeMs: 3000 }), finding({ id: 'none', timeMs: NaN }), finding({ id: 'early', timeMs: 1000 })];
    expect(ids(sortFindings(rows, { column: 'time', desc: false }))).toEqual(['none', 'early', 'late']);
  });

  it('breaks ties by time then id so the order is deterministic', () => {
    const rows = [finding({ id: 'b', host: 'h', timeMs: 5 }), finding({ id: 'a', host: 'h', timeMs: 5 }), finding({ id: 'c', host: 'h', timeMs: 1 })];
    expect(ids(sortFindings(rows, { column: 'host', desc: true }))).toEqual(['c', 'a', 'b']);
  });

  it('does not mutate its input and sorts on every column', () => {
    const rows = syntheticFindings(500, 7);
    const before = ids(rows);
    for (const c of COLUMNS) {
      const asc = sortFindings(rows, { column: c.id, desc: false });
      expect(asc).toHaveLength(500);
      for (let i = 1; i < asc.length; i++) {
        const p = c.sortKey(asc[i - 1]);
        const q = c.sortKey(asc[i]);
        expect(p <= q, `${c.id} at ${i}: ${String(p)} > ${String(q)}`).toBe(true);
      }
    }
    expect(ids(rows)).toEqual(before);
  });
});
