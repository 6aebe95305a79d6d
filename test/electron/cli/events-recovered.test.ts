// `events` NDJSON lines say which records were carved from EVTX slack (ref.recovered).
import { describe, expect, it } from 'vitest';
import { eventLine } from '../../../electron/cli/events-command';
import type { RawEvent } from '../../../shared/model/raw-event';

const raw = (recovered?: boolean): RawEvent => ({
  ref: { file: 'x.evtx', format: 'evtx', recordId: 7, chunk: 1, offset: 70000, ...(recovered ? { recovered } : {}) },
  layout: 'windows-event', system: { eventId: 13, provider: 'Microsoft-Windows-Sysmon' }, data: {},
});

describe('events line', () => {
  it('marks a recovered (deleted) record and leaves the mark out for an allocated one', () => {
    expect(JSON.parse(JSON.stringify(eventLine(raw(true), false))).recovered).toBe(true);
    expect('recovered' in JSON.parse(JSON.stringify(eventLine(raw(), false)))).toBe(false);
  });
});
