// Small builders for table-driven Sigma tests: a Sysmon (or Security) raw event run through the
// real normalizer, and a rule made from a detection block.

import type { RawEvent, RawValue } from '../../../shared/model/raw-event';
import type { NormalizedEvent } from '../../../shared/model/events';
import { normalize } from '../../../shared/normalize/normalize';
import { evaluate, loadRuleset, type SigmaUnsupported } from '../../../shared/sigma';

let seq = 0;

export function sysmonRaw(eventId: number, data: Record<string, RawValue>): RawEvent {
  seq++;
  return {
    ref: { file: 'test.evtx', format: 'evtx', recordId: seq },
    layout: 'windows-event',
    system: { provider: 'Microsoft-Windows-Sysmon', eventId, channel: 'Microsoft-Windows-Sysmon/Operational', computer: 'host1', timeCreated: '2024-01-01T00:00:00.000Z', recordId: seq },
    data: { UtcTime: '2024-01-01 00:00:00.000', ...data },
  };
}

export function securityRaw(eventId: number, data: Record<string, RawValue>): RawEvent {
  seq++;
  return {
    ref: { file: 'sec.evtx', format: 'evtx', recordId: seq },
    layout: 'windows-event',
    system: { provider: 'Microsoft-Windows-Security-Auditing', eventId, channel: 'Security', computer: 'host1', timeCreated: '2024-01-01T00:00:00.000Z', recordId: seq },
    data,
  };
}

export function norm(raw: RawEvent): NormalizedEvent {
  const n = normalize(raw);
  if (!n) throw new Error(`test event ${raw.system.eventId} does not normalize`);
  return n;
}

/** A rule text: logsource lines + a detection block (indented by the caller as YAML under detection:). */
export function ruleText(logsource: string, detection: string, extra = ''): string {
  return `title: Test rule\nid: 00000000-0000-0000-0000-000000000001\nstatus: test\nlevel: high\ntags:\n    - attack.persistence\n    - attack.t1547.001\n${extra}logsource:\n${logsource}\ndetection:\n${detection}\n`;
}

export const PROCESS = '    product: windows\n    category: process_creation';

/** Compile `detection` for process_creation and tell whether it matches a Sysmon 1 event with `data`. */
export function procMatches(detection: string, data: Record<string, RawValue>): boolean {
  const { ruleset, unsupported } = loadRuleset([{ path: 't.yml', text: ruleText(PROCESS, detection) }]);
  if (unsupported.length) throw new Error(`rule did not compile: ${unsupported.map((u) => `${u.code} ${u.message}`).join('; ')}`);
  const raw = sysmonRaw(1, data);
  return evaluate(ruleset, norm(raw), raw).length > 0;
}

/** The unsupported entries a process_creation rule with `detection` produces. */
export function procUnsupported(detection: string): SigmaUnsupported[] {
  return loadRuleset([{ path: 't.yml', text: ruleText(PROCESS, detection) }]).unsupported;
}
