// Verifies a Sigma rule the engine exported for a finding: it must load and compile here, match the
// event it was made from, and match none of the case's other events. The exporter's tests and the
// export action call this; a rule that fails is not offered as "verified".

import type { NormalizedEvent } from '../model/events';
import type { RawEvent } from '../model/raw-event';
import type { SigmaUnsupported } from './types';
import { evaluate, loadRuleset } from './ruleset';

export interface CheckInput {
  event: NormalizedEvent;
  raw?: RawEvent;
}

export interface ExportCheck {
  /** The rule loaded and compiled, and there was exactly one rule in the text. */
  compiled: boolean;
  matchesSource: boolean;
  /** eventKey()s of other events the rule matches. */
  falseMatches: string[];
  /** Why the rule did not compile (empty when it did). */
  unsupported: SigmaUnsupported[];
}

export function checkExportedRule(yamlText: string, matchEvent: CheckInput, otherEvents: Iterable<CheckInput>, file = 'exported.yml'): ExportCheck {
  const { ruleset, unsupported } = loadRuleset([{ path: file, text: yamlText }]);
  const compiled = unsupported.length === 0 && ruleset.rules.length === 1;
  if (!compiled) return { compiled, matchesSource: false, falseMatches: [], unsupported };
  const matchesSource = evaluate(ruleset, matchEvent.event, matchEvent.raw).length > 0;
  const falseMatches: string[] = [];
  for (const o of otherEvents) {
    if (o.event.key === matchEvent.event.key) continue;
    if (evaluate(ruleset, o.event, o.raw).length > 0) falseMatches.push(o.event.key);
  }
  return { compiled, matchesSource, falseMatches, unsupported };
}
