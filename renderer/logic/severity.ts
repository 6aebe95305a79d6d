// Severity as the analyst sees it: always a word beside the colour (colour alone fails colour-blind
// readers and greyscale printouts), ordered from critical down.

import { SEVERITIES, severityRank, type Severity } from '../../shared/model/finding';

export const SEVERITY_LABEL: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  informational: 'Info',
};

/** Most severe first, for filter chips and legends. */
export const SEVERITIES_DESC: readonly Severity[] = [...SEVERITIES].reverse();

export function severityLabel(s: Severity): string {
  return SEVERITY_LABEL[s] ?? String(s);
}

/** CSS class carrying the colour; the text is always rendered too. */
export function severityClass(s: Severity): string {
  return `sev sev-${s}`;
}

export function maxSeverity(list: readonly Severity[]): Severity {
  let best: Severity = 'informational';
  for (const s of list) if (severityRank(s) > severityRank(best)) best = s;
  return best;
}
