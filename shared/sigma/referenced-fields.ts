// The raw field names a set of rules can read, so a scan can decode only those (readEvtx's
// wantedFields) and still evaluate every rule exactly as on a full decode. The evaluator reads a
// rule's field by the name the rule writes (event-view.ts: raw EventData first for Sysmon, the raw
// name for Security-form rules and for names the field table does not carry), so the names written
// in the detection, plus the fields a `fieldref` value names, are all it can ask for. A keyword
// search reads every value of the event: then no restriction is safe and the answer is undefined.

import type { DetectionItem, SigmaRuleSource } from './loader';

/** Fields the evaluator reads to pick candidate rules (gate keys, see ruleset.ts), whatever the rules say. */
const GATE_FIELDS = ['Image', 'ParentImage', 'OriginalFileName'] as const;

/**
 * Every raw field name the rules can read, or undefined when one of them searches keywords (reads
 * every field). Give it the rules that compiled: rules reported unsupported are never evaluated.
 */
export function sigmaReferencedFields(rules: readonly SigmaRuleSource[]): ReadonlySet<string> | undefined {
  const names = new Set<string>(GATE_FIELDS);
  const walk = (item: DetectionItem): boolean => {
    if (item.t === 'keywords') return false;
    if (item.t === 'any') return item.items.every(walk);
    for (const e of item.entries) {
      if (e.field === '') return false;
      names.add(e.field);
      if (e.modifiers.some((m) => m.toLowerCase() === 'fieldref')) {
        for (const v of e.values) if (typeof v === 'string') names.add(v);
      }
    }
    return true;
  };
  for (const r of rules) for (const i of r.identifiers) if (!walk(i.item)) return undefined;
  return names;
}
