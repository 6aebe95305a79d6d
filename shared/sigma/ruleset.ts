// A compiled rule set, indexed so an event is only tested against the rules of its kind and
// action: a registry SetValue event sees the registry_set and registry_event rules, never the
// process_creation ones. Security-form rules are indexed apart and only see Security events.

import type { NormalizedEvent } from '../model/events';
import type { RawEvent } from '../model/raw-event';
import type { CompiledRule, RuleTarget, SigmaEventView, SigmaHit, SigmaUnsupported } from './types';
import { eventView } from './event-view';
import { loadSigmaRules, type RuleFile } from './loader';
import { compileRules } from './compile';

interface Entry {
  rule: CompiledRule;
  logsource: string;
}

interface Bucket {
  /** Rules without a gate: tested on every event of the bucket. */
  always: Entry[];
  /** Gated rules by gate key (a rule appears under each of its keys). */
  byKey: Map<string, Entry[]>;
}

export interface SigmaRuleset {
  rules: readonly CompiledRule[];
  /** Key: `${kind}|${action}|${form}` ('*' action: every action of the kind). */
  readonly index: ReadonlyMap<string, Bucket>;
}

const ANY = '*';

function actionsOf(t: RuleTarget): readonly string[] {
  return t.registryActions ?? t.fileActions ?? [ANY];
}

export function buildRuleset(rules: readonly CompiledRule[]): SigmaRuleset {
  const index = new Map<string, Bucket>();
  for (const rule of rules) {
    for (const t of rule.targets) {
      for (const a of actionsOf(t)) {
        const k = `${t.kind}|${a}|${t.form}`;
        let b = index.get(k);
        if (!b) index.set(k, (b = { always: [], byKey: new Map() }));
        const entry = { rule, logsource: t.logsource };
        if (!rule.gate) {
          b.always.push(entry);
          continue;
        }
        for (const g of rule.gate) {
          let list = b.byKey.get(g);
          if (!list) b.byKey.set(g, (list = []));
          list.push(entry);
        }
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

/** The gate keys an event has (see gate.ts): the file names of its image and parent image, its OriginalFileName. */
function gateKeys(view: SigmaEventView): string[] {
  const keys: string[] = [];
  const image = view.lower('taxonomy', 'Image');
  if (image !== undefined) keys.push(`img:${image.slice(image.lastIndexOf('\\') + 1)}`);
  const parent = view.lower('taxonomy', 'ParentImage');
  if (parent !== undefined) keys.push(`pimg:${parent.slice(parent.lastIndexOf('\\') + 1)}`);
  const ofn = view.lower('taxonomy', 'OriginalFileName');
  if (ofn !== undefined) keys.push(`ofn:${ofn}`);
  return keys;
}

function candidates(rs: SigmaRuleset, event: NormalizedEvent, view: SigmaEventView): Entry[] {
  const action = event.kind === 'process' ? ANY : event.action;
  const buckets = [rs.index.get(`${event.kind}|${action}|taxonomy`)];
  if (action !== ANY) buckets.push(rs.index.get(`${event.kind}|${ANY}|taxonomy`));
  if (event.source === 'security') buckets.push(rs.index.get(`${event.kind}|${ANY}|security`));
  const out: Entry[] = [];
  let keys: string[] | undefined;
  for (const b of buckets) {
    if (!b) continue;
    for (const e of b.always) out.push(e);
    if (b.byKey.size === 0) continue;
    keys ??= gateKeys(view);
    const gated = keys.map((k) => b.byKey.get(k)).filter((l): l is Entry[] => l !== undefined);
    if (gated.length === 1) for (const e of gated[0]) out.push(e);
    else if (gated.length > 1) for (const e of new Set(gated.flat())) out.push(e);
  }
  return out;
}

/** The rules that fire on one event. Pass the raw event when the host has it (Sysmon fidelity, extra fields). */
export function evaluate(rs: SigmaRuleset, event: NormalizedEvent, raw?: RawEvent): SigmaHit[] {
  const view = eventView(event, raw);
  const hits: SigmaHit[] = [];
  for (const e of candidates(rs, event, view)) if (e.rule.match(view)) hits.push({ rule: e.rule.meta, eventKey: event.key, logsource: e.logsource });
  return hits;
}
