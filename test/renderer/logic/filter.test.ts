import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, activeFilterCount, filterFindings } from '../../../renderer/logic/filter';
import { finding } from './fixtures';

const a = finding({ id: 'a', host: 'WS01', severity: 'critical', user: 'CORP\\alice', valueName: 'OneDrive', reasons: [{ id: 'powershell.encoded', title: 'Encoded PowerShell', weight: 50, attack: ['T1059.001'], explanation: 'x' }] });
const b = finding({ id: 'b', host: 'DC02', severity: 'low', user: 'CORP\\bob', writer: { image: 'C:\\Windows\\explorer.exe', commandLine: 'explorer.exe' } });
const c = finding({ id: 'c', host: 'WS03', severity: 'high', baseline: { status: 'baselined', entryId: 'e1' } });
const d = finding({ id: 'd', host: 'WS04', severity: 'high', baseline: { status: 'baselined-but-suspicious', entryId: 'e2' } });
const all = [a, b, c, d];
const ids = (r: { rows: { id: string }[] }) => r.rows.map((f) => f.id);

describe('filterFindings', () => {
  it('hides baselined findings by default and counts them', () => {
    const r = filterFindings(all, EMPTY_FILTERS);
    expect(ids(r)).toEqual(['a', 'b', 'd']);
    expect(r.hiddenBaselined).toBe(1);
  });

  it('shows baselined findings when the toggle is on', () => {
    const r = filterFindings(all, { ...EMPTY_FILTERS, showBaselined: true });
    expect(ids(r)).toEqual(['a', 'b', 'c', 'd']);
    expect(r.hiddenBaselined).toBe(0);
  });

  it('keeps baselined-but-suspicious findings visible', () => {
    expect(ids(filterFindings([d], EMPTY_FILTERS))).toEqual(['d']);
  });

  it('shows baselined findings when the baseline filter asks for them', () => {
    expect(ids(filterFindings(all, { ...EMPTY_FILTERS, baseline: 'baselined' }))).toEqual(['c']);
  });

  it('filters by a set of severities', () => {
    expect(ids(filterFindings(all, { ...EMPTY_FILTERS, severities: ['critical', 'low'] }))).toEqual(['a', 'b']);
  });

  it('matches per-column text case-insensitively as a substring', () => {
    expect(ids(filterFindings(all, { ...EMPTY_FILTERS, host: 'ws0' }))).toEqual(['a', 'd']);
    expect(ids(filterFindings(all, { ...EMPTY_FILTERS, user: 'BOB' }))).toEqual(['b']);
    expect(ids(filterFindings(all, { ...EMPTY_FILTERS, writer: 'explorer' }))).toEqual(['b']);
    expect(ids(filterFindings(all, { ...EMPTY_FILTERS, indicator: 't1059' }))).toEqual(['a']);
    expect(ids(filterFindings(all, { ...EMPTY_FILTERS, valueName: 'onedrive' }))).toEqual(['a']);
  });

  it('requires every word of the global search to match somewhere', () => {
    expect(ids(filterFindings(all, { ...EMPTY_FILTERS, search: 'ws01 encoded' }))).toEqual(['a']);
    expect(ids(filterFindings(all, { ...EMPTY_FILTERS, search: 'ws01 explorer' }))).toEqual([]);
  });

  it('treats markup in a value as plain text to search', () => {
    const x = finding({ id: 'x', value: '<img src=x onerror=alert(1)>' });
    expect(ids(filterFindings([x, b], { ...EMPTY_FILTERS, search: 'onerror=alert' }))).toEqual(['x']);
  });

  it('counts the active filters', () => {
    expect(activeFilterCount(EMPTY_FILTERS)).toBe(0);
    expect(activeFilterCount({ ...EMPTY_FILTERS, host: 'x', severities: ['low'], search: ' ' })).toBe(2);
  });
});
