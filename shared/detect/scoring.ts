// Scoring: a finding's score is the sum of its reasons' weights; severity comes from fixed
// thresholds, capped by the location's maximum (noisy locations that are other techniques). The
// scorer knows nothing about what the reasons mean.

import type { Reason, Severity } from '../model/finding';
import { severityRank } from '../model/finding';

export const SEVERITY_THRESHOLDS: ReadonlyArray<readonly [Severity, number]> = [
  ['critical', 100],
  ['high', 70],
  ['medium', 40],
  ['low', 20],
  ['informational', Number.NEGATIVE_INFINITY],
];

export function scoreOf(reasons: readonly Reason[]): number {
  return reasons.reduce((s, r) => s + r.weight, 0);
}

export function severityOf(score: number, cap?: Severity): Severity {
  const s = SEVERITY_THRESHOLDS.find(([, min]) => score >= min)?.[0] ?? 'informational';
  return cap && severityRank(s) > severityRank(cap) ? cap : s;
}
