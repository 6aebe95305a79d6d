// A compiled rule set, indexed so an event is only tested against the rules of its kind and
// action: a registry SetValue event sees the registry_set and registry_event rules, never the
// process_creation ones. Security-form rules are indexed apart and only see Security events.
// Within a bucket, rules with a gate (gate.ts) are only tested when the event has one of their keys:
// an exact image-name key, or a needle found in a field by one scan per field (needle-index.ts).

import type { NormalizedEvent } from '../model/events';
import type { RawEvent } from '../model/raw-event';
import type { CompiledRule, RuleTarget, SigmaEventView, SigmaHit, SigmaUnsupported } from './types';
import { eventView } from './event-view';
import { loadSigmaRules, type RuleFile } from './loader';
import { compileRules } from './compile';
import { NeedleIndex } from './needle-index';

interface Entry {
  rule: CompiledRule;
  logsource: string;
  /** Position in the rule set: hits come out in rule order. */
  ord: number;
  /** Evaluation stamp: an entry reached through several keys is tested once. */
  seen: number;
}

interface Bucket {
  /** Rules without a gate: tested on every event of the bucket. */
  always: Entry[];
  /** Gated rules by exact gate key (`img:`, `pimg:`, `ofn:`); a rule appears under each of its keys. */
  byKey: Map<string, Entry[]>;
  /** Gated rules by substring key: per field, the needles whose presence admits them. */
  byNeedle: Map<string, NeedleIndex<Entry>>;
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
  let ord = 0;
  for (const rule of rules) {
    for (const t of rule.targets) {
      for (const a of actionsOf(t)) {
        const k = `${t.kind}|${a}|${t.form}`;
        let b = index.get(k);
        if (!b) index.set(k, (b = { always: [], byKey: new Map(), byNeedle: new Map() }));
        const entry: Entry = { rule, logsource: t.logsource, ord: ord++, seen: 0 };
        if (!rule.gate) {
          b.always.push(entry);
          continue;
        }
        for (const g of rule.gate) {
          if (g.startsWith('sub:')) {
            const sep = g.indexOf('\u0000');
            const field = g.slice(4, sep);
            let ni = b.byNeedle.get(field);
            if (!ni) b.byNeedle.set(field, (ni = new NeedleIndex()));
            ni.add(g.slice(sep + 1), entry);
            continue;
          }
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

/** The exact gate keys an event has (see gate.ts): the file names of its image and parent image, its OriginalFileName. */
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

let stamp = 0;

function candidates(rs: SigmaRuleset, event: NormalizedEvent, view: SigmaEventView): Entry[] {
  const action = event.kind === 'registry' || event.kind === 'file' ? event.action : ANY;
  const buckets = [rs.index.get(`${event.kind}|${action}|taxonomy`)];
  if (action !== ANY) buckets.push(rs.index.get(`${event.kind}|${ANY}|taxonomy`));
  if (event.source === 'security') buckets.push(rs.index.get(`${event.kind}|${ANY}|security`));
  const out: Entry[] = [];
  const now = ++stamp;
  const take = (list: readonly Entry[]): void => {
    for (const e of list) {
      if (e.seen === now) continue;
      e.seen = now;
      out.push(e);
    }
  };
  let keys: string[] | undefined;
  let gated = false;
  for (const b of buckets) {
    if (!b) continue;
    take(b.always);
    if (b.byKey.size) {
      keys ??= gateKeys(view);
      for (const k of keys) {
        const l = b.byKey.get(k);
        if (l) {
          take(l);
          gated = true;
        }
      }
    }
    for (const [field, ni] of b.byNeedle) {
      const value = view.lower('taxonomy', field);
      if (value === undefined) continue;
      ni.find(value, take);
      gated = true;
    }
  }
  if (gated) out.sort((a, b) => a.ord - b.ord);
  return out;
}

/** The rules that fire on one event. Pass the raw event when the host has it (Sysmon fidelity, extra fields). */
export function evaluate(rs: SigmaRuleset, event: NormalizedEvent, raw?: RawEvent): SigmaHit[] {
  const view = eventView(event, raw);
  const hits: SigmaHit[] = [];
  for (const e of candidates(rs, event, view)) if (e.rule.match(view)) hits.push({ rule: e.rule.meta, eventKey: event.key, logsource: e.logsource });
  return hits;
}
