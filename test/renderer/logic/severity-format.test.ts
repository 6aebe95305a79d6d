import { describe, expect, it } from 'vitest';
import { maxSeverity, severityClass, severityLabel, SEVERITIES_DESC } from '../../../renderer/logic/severity';
import { baseName, formatBytes, formatUtc, formatUtcMs, percent } from '../../../renderer/logic/format';
import { COLUMNS } from '../../../renderer/logic/columns';
import { FIELD_TABLE } from '../../../shared/model/field-table';

describe('severity formatting', () => {
  it('gives every severity a word and a colour class', () => {
    expect(SEVERITIES_DESC).toEqual(['critical', 'high', 'medium', 'low', 'informational']);
    expect(SEVERITIES_DESC.map(severityLabel)).toEqual(['Critical', 'High', 'Medium', 'Low', 'Info']);
    expect(severityClass('high')).toBe('sev sev-high');
  });

  it('picks the most severe of a list', () => {
    expect(maxSeverity(['low', 'high', 'medium'])).toBe('high');
    expect(maxSeverity([])).toBe('informational');
  });
});

describe('formatting', () => {
  it('keeps the source precision of UTC times and says UTC', () => {
    expect(formatUtc('2019-03-19T02:38:12.1234567Z')).toBe('2019-03-19 02:38:12.1234567 UTC');
    expect(formatUtcMs(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe('2024-01-02 03:04:05.678 UTC');
    expect(formatUtc(undefined)).toBe('—');
  });

  it('formats sizes and bounded percentages', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MB');
    expect(percent(5, 0)).toBe(0);
    expect(percent(15, 10)).toBe(100);
  });

  it('takes the last component of Windows and POSIX paths', () => {
    expect(baseName('C:\\Windows\\System32\\reg.exe')).toBe('reg.exe');
    expect(baseName('/usr/bin/x')).toBe('x');
  });
});

describe('columns', () => {
  it('take event-field labels from the field table', () => {
    const labels = new Set(FIELD_TABLE.map((r) => r.label));
    for (const id of ['time', 'host', 'user', 'key', 'valueName', 'value', 'writer'] as const) {
      const c = COLUMNS.find((x) => x.id === id);
      expect(c && labels.has(c.label), id).toBe(true);
    }
  });
});
