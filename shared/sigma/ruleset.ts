// A compiled rule set, indexed so an event is only tested against the rules of its kind and
// action: a registry SetValue event sees the registry_set and registry_event rules, never the
// process_creation ones. Security-form rules are indexed apart and only see Security events.

import type { NormalizedEvent } from '../model/events';
import type { RawEvent } from '../model/raw-event';
import type { CompiledRule, RuleTarget, SigmaHit, SigmaUnsupported } from './types';
import { eventView } from './event-view';
import { loadSigmaRules, type RuleFile } from './loader';
import { compileRules } from './compile';

interface Entry {
  rule: CompiledRule;
  logsource: string;
}

export interface SigmaRuleset {
  rules: readonly CompiledRule[];
  /** Key: `${kind}|${action}|${form}` ('*' action: every action of the kind). */
  readonly index: ReadonlyMap<string, readonly Entry[]>;
}

const ANY = '*';

function actionsOf(t: RuleTarget): readonly string[] {
  return t.registryActions ?? t.fileActions ?? [ANY];
}

export function buildRuleset(rules: readonly CompiledRule[]): SigmaRuleset {
  const index = new Map<string, Entry[]>();
  for (const rule of rules) {
    for (const t of rule.targets) {
      for (const a of actionsOf(t)) {
        const k = `${t.kind}|${a}|${t.form}`;
        let list = index.get(k);
        if (!list) index.set(k, (list = []));
        list.push({ rule, logsource: t.logsource });
      }
    }
  }
  return { rules, index };
}

/** Load + compile + index in one step: the usual entry point for a folder of rules. */
export function loadRuleset(files: readonly RuleFile[]): { ruleset: SigmaRuleset; unsupported: SigmaUnsupported[]; total: number } {
  const loaded = loadSigmaRules(files);
  const compiled = compileRules(loaded.rules);
  return {
    ruleset: buildRuleset(compiled.rules),
    unsupported: [...loaded.unsupported, ...compiled.unsupported],
    total: loaded.rules.length + loaded.unsupported.length,
  };
}

function candidates(rs: SigmaRuleset, event: NormalizedEvent): Entry[] {
  const action = event.kind === 'process' ? ANY : event.action;
  const lists = [rs.index.get(`${event.kind}|${action}|taxonomy`)];
  if (action !== ANY) lists.push(rs.index.get(`${event.kind}|${ANY}|taxonomy`));
  if (event.source === 'security') lists.push(rs.index.get(`${event.kind}|${ANY}|security`));
  const out: Entry[] = [];
  for (const l of lists) if (l) for (const e of l) out.push(e);
  return out;
}

/** The rules that fire on one event. Pass the raw event when the host has it (Sysmon fidelity, extra fields). */
export function evaluate(rs: SigmaRuleset, event: NormalizedEvent, raw?: RawEvent): SigmaHit[] {
  const list = candidates(rs, event);
  if (list.length === 0) return [];
  const view = eventView(event, raw);
  const hits: SigmaHit[] = [];
  for (const e of list) if (e.rule.match(view)) hits.push({ rule: e.rule.meta, eventKey: event.key, logsource: e.logsource });
  return hits;
}
