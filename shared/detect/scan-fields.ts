// The EventData names a scan decodes from EVTX (readEvtx's wantedFields fast path), shared by the
// CLI scan and the ingest workers so both read exactly the same fields: what normalize() reads,
// plus every raw field the analyst's Sigma rules can read (sigmaReferencedFields). A keyword rule
// reads every field, so then the answer is undefined (a full decode). Raw records shown to the
// analyst are re-read in full by chunk + offset, so nothing the UI shows depends on this.

import { normalizeInputNames } from '../normalize/normalize';

/** The part of a scan's Sigma rules that decides the fields: sigmaReferencedFields() of the rules that compiled. */
export interface ScanFieldRules {
  /** undefined when a rule reads every field (keyword search). */
  fields: ReadonlySet<string> | undefined;
}

const wantedCache = new WeakMap<ScanFieldRules, ReadonlySet<string> | undefined>();

/** normalizeInputNames() without rules; with rules, their fields added, or undefined (full decode) when a rule searches keywords. */
export function scanWantedFields(rules?: ScanFieldRules): ReadonlySet<string> | undefined {
  if (!rules) return normalizeInputNames();
  if (wantedCache.has(rules)) return wantedCache.get(rules);
  const wanted = rules.fields ? new Set([...normalizeInputNames(), ...rules.fields]) : undefined;
  wantedCache.set(rules, wanted);
  return wanted;
}
