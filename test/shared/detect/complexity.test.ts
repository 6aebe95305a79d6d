// The case stage stays near-linear when the same write repeats (a log whose chunks repeat, a
// busy host re-running one payload): work is counted by caseWork(), not timed, so the test is not flaky.

import { describe, expect, it } from 'vitest';
import { caseWork } from '../../../shared/detect/analyze-case';
import { analyzeEvents } from '../../../shared/detect/engine';
import type { NormalizedEvent } from '../../../shared/model/events';
import { procStart, regSet } from './helpers';

const RUN = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater';
const PAYLOAD = 'C:\\Users\\Public\\upd.exe';

/** `n` identical Run-key writes by reg.exe (with its start and its command line), each followed by the payload running. */
function repeated(n: number): NormalizedEvent[] {
  const out: NormalizedEvent[] = [];
  for (let i = 0; i < n; i++) {
    out.push(procStart('C:\\Windows\\System32\\reg.exe', `reg add HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run /v Updater /d ${PAYLOAD} /f`, { pid: 4242, guid: '{0000-reg}', at: 0 }));
    out.push(regSet(RUN, PAYLOAD, { pid: 4242, guid: '{0000-reg}', at: 1 }));
    out.push(procStart(PAYLOAD, PAYLOAD, { pid: 5000 + (i % 7), at: 60 }));
  }
  return out;
}

function measure(n: number) {
  const events = repeated(n);
  const before = caseWork();
  const findings = analyzeEvents(events);
  return { findings, work: caseWork() - before };
}

describe('case stage complexity', () => {
  it('does at most ~15x the work for 10x as many repeated writes', () => {
    const small = measure(500);
    const large = measure(5000);
    expect(small.work).toBeGreaterThan(0);
    expect(large.work / small.work).toBeLessThanOrEqual(15);
  });

  it('analyzes 20,000 identical repeated writes: one finding per write, stacked by rarity, executions capped with an exact count', () => {
    const { findings } = measure(20_000);
    const writes = findings.filter((f) => f.basis !== 'command-line');
    expect(writes).toHaveLength(20_000);
    // the reg add command lines fold into the writes they caused, none is left on its own
    expect(findings).toHaveLength(20_000);
    const first = writes[0];
    expect(first.rarity?.count).toBe(20_000);
    expect(first.rarity?.rare).toBe(false);
    expect(writes.filter((f) => f.correlation.commandLineSightings?.length).length).toBeGreaterThan(0);
    expect(first.correlation.executions.length).toBe(50);
    const fired = first.reasons.find((r) => r.id === 'correlation.executed');
    expect(fired?.explanation).toContain('20000 time(s)');
  });
});
