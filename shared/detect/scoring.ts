// Scoring: a finding's score is the sum of its reasons' weights; severity comes from fixed
// thresholds, capped by the location's maximum (noisy locations that are other techniques). The
// scorer knows nothing about what the reasons mean, only their weights.
//
// How the thresholds read, with the weights of shared/detect/indicators.ts and catalog.ts:
// - low (≥ 20): an autostart write and nothing else (a location alone weighs 20–35), or one faint
//   sign. Benign software lands here, or at 0 once the baseline knows it.
// - medium (≥ 40): the write plus one sign worth a look: a payload in a user folder, an unusual
//   writer, a script host (a location + one weak indicator of 20–25).
// - high (≥ 60): several signs together, the shape of an intrusion: e.g. an %APPDATA% payload
//   written by reg.exe (Run 20 + user folder 20 + unusual writer 25 = 65), or a masquerading name.
//   Correlation adds to it (payload dropped just before +15, persistence fired +10, rare in the
//   fleet +15) without changing its nature.
// - critical (≥ 100 AND one decisive reason, weight ≥ 45): only an indicator that is malicious on
//   its own makes a finding critical: encoded PowerShell (50), a download cradle (45), certutil /
//   bitsadmin downloads (45), mshta / rundll32 / regsvr32 running script (50), a Winlogon Shell /
//   Userinit replacement (45), a redirected Startup folder (45), a value name hidden from regedit
//   (NUL-prefixed, 45: nothing legitimate hides its autostart). A pile of moderate signs (user
//   folder, odd writer, rare, fired, a masquerading name 35) tops out at high however many there
//   are, so critical stays the short list a responder works first. The generated `mixed` scenario
//   spreads this way: encoded PowerShell 300, mshta / rundll32 RunOnce 160-175, Winlogon Shell /
//   Userinit 120-140, Startup redirection 145 are critical; %APPDATA% / ProgramData / Temp Run and
//   RunOnce values, Policies\Explorer\Run, WOW6432Node and Startup-folder drops are high.

import type { Reason, Severity } from '../model/finding';
import { severityRank } from '../model/finding';

export const SEVERITY_THRESHOLDS: ReadonlyArray<readonly [Severity, number]> = [
  ['critical', 100],
  ['high', 60],
  ['medium', 40],
  ['low', 20],
  ['informational', Number.NEGATIVE_INFINITY],
];

/** The weight one reason needs for its finding to be critical (see above). */
export const DECISIVE_WEIGHT = 45;

export function scoreOf(reasons: readonly Reason[]): number {
  return reasons.reduce((s, r) => s + r.weight, 0);
}

/**
 * Severity of a score, given the weight of the finding's strongest reason (critical needs a
 * decisive one) and the location's cap.
 */
export function severityOf(score: number, cap?: Severity, strongestWeight = Number.POSITIVE_INFINITY): Severity {
  let s = SEVERITY_THRESHOLDS.find(([, min]) => score >= min)?.[0] ?? 'informational';
  if (s === 'critical' && strongestWeight < DECISIVE_WEIGHT) s = 'high';
  return cap && severityRank(s) > severityRank(cap) ? cap : s;
}

/** Score and severity of a list of reasons. */
export function scoreReasons(reasons: readonly Reason[], cap?: Severity): { score: number; severity: Severity } {
  const score = scoreOf(reasons);
  const strongest = reasons.reduce((m, r) => Math.max(m, r.weight), 0);
  return { score, severity: severityOf(score, cap, strongest) };
}
