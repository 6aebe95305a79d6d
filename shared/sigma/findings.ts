// Sigma hits → Finding values (basis 'sigma'), so community rule hits sit beside our own indicators
// in the same table, scoring and report. The detection engine may merge a hit into the finding it
// already has for the same event (see sigmaReason); a hit on an event it has no finding for becomes
// a finding of its own through sigmaHitToFinding.

import type { NormalizedEvent } from '../model/events';
import type { Finding, Reason, Severity } from '../model/finding';
import type { SigmaHit, SigmaRuleMeta } from './types';
import { writerOf } from '../model/writer';

const LEVEL_SEVERITY: Readonly<Record<string, Severity>> = {
  informational: 'informational', low: 'low', medium: 'medium', high: 'high', critical: 'critical',
};

/** Reason weight per Sigma level, on the same 0-100 scale as our indicators. */
const LEVEL_WEIGHT: Readonly<Record<Severity, number>> = { informational: 5, low: 20, medium: 40, high: 65, critical: 85 };

export function severityOfLevel(level: string): Severity {
  return LEVEL_SEVERITY[level.toLowerCase()] ?? 'medium';
}

/** ATT&CK technique ids from Sigma tags: attack.t1547.001 → T1547.001 (tactics and groups are skipped). */
export function attackIdsOfTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const m = /^attack\.(t[0-9]{4}(?:\.[0-9]{3})?)$/i.exec(t.trim());
    if (m && !out.includes(m[1].toUpperCase())) out.push(m[1].toUpperCase());
  }
  return out;
}

export function sigmaReason(rule: SigmaRuleMeta): Reason {
  const sev = severityOfLevel(rule.level);
  return {
    id: `sigma:${rule.id}`,
    title: `Sigma: ${rule.title}`,
    weight: LEVEL_WEIGHT[sev],
    attack: attackIdsOfTags(rule.tags),
    explanation: `The community Sigma rule "${rule.title}" (${rule.id}, level ${rule.level}) matches this event.`,
  };
}

function orderAttack(ids: string[]): string[] {
  const uniq = [...new Set(ids)];
  return uniq.includes('T1547.001') ? ['T1547.001', ...uniq.filter((x) => x !== 'T1547.001')] : uniq;
}

/** One finding for one hit. `event` is the event the hit names (hit.eventKey === event.key). */
export function sigmaHitToFinding(hit: SigmaHit, event: NormalizedEvent): Finding {
  const rule = hit.rule;
  const reason = sigmaReason(rule);
  const value = event.kind === 'registry' ? (event.details ?? event.targetObject) : event.kind === 'file' ? event.targetFilename : (event.process.commandLine ?? event.process.image ?? '');
  const action: Finding['action'] = event.kind === 'registry' ? event.action : event.kind === 'file' ? 'file-create' : 'command';
  return {
    id: `sigma:${rule.id}:${event.key}`,
    basis: 'sigma',
    host: event.host,
    user: event.user,
    time: event.time,
    timeMs: event.timeMs,
    location: 'sigma',
    locationTitle: `Sigma rule: ${rule.title}`,
    registryKey: event.kind === 'registry' ? event.registryKey : undefined,
    valueName: event.kind === 'registry' ? event.valueName : undefined,
    value,
    action,
    normalizedValue: value.toLowerCase(),
    writer: writerOf(event),
    score: reason.weight,
    severity: severityOfLevel(rule.level),
    reasons: [reason],
    attack: orderAttack(reason.attack),
    baseline: { status: 'none' },
    correlation: { writerAncestors: [], payloadCreated: [], executions: [], deletions: [] },
    evidence: { key: event.key, ref: event.ref, eventId: event.eventId, source: event.source },
    sigmaRule: { id: rule.id, title: rule.title, level: rule.level, tags: [...rule.tags], path: rule.path },
  };
}
