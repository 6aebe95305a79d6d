// Types shared by the Sigma loader, compiler and evaluator. A rule goes YAML text → SigmaRule
// (metadata + the detection as YAML nodes, positions kept) → CompiledRule (closures). Anything the
// engine cannot evaluate faithfully is a SigmaUnsupported value with a closed code, the rule file and
// the line; it is never thrown and never silently approximated.

import type { EventKind, RegistryAction, FileAction } from '../model/events';

export const SIGMA_UNSUPPORTED_CODES = [
  'BAD_YAML', // the document does not parse as YAML
  'NOT_A_RULE', // a document with neither detection nor correlation (e.g. an empty document)
  'LOGSOURCE', // a log source the engine does not read (network_connection, ps_script, ...)
  'CORRELATION', // a correlation (meta) rule
  'FILTER_RULE', // a Sigma filter document (meta filter)
  'AGGREGATION', // a `| count() ...` condition (Sigma 1 aggregation)
  'NEAR', // a `near` condition
  'BAD_CONDITION', // the condition does not parse or names a missing search identifier
  'BAD_DETECTION', // a search identifier of a shape Sigma does not define
  'UNKNOWN_MODIFIER', // a modifier the engine does not know
  'PLACEHOLDER', // the `expand` modifier (needs site-specific placeholder values)
  'BAD_MODIFIER', // a known modifier used in a way that cannot be evaluated (e.g. base64 of a wildcard)
  'BAD_REGEX', // a `re` value the JavaScript engine cannot compile
] as const;
export type SigmaUnsupportedCode = (typeof SIGMA_UNSUPPORTED_CODES)[number];

export interface SigmaUnsupported {
  code: SigmaUnsupportedCode;
  /** The rule file as given to the loader. */
  file: string;
  /** 1-based line of the offending node (or of the document). */
  line: number;
  ruleId?: string;
  title?: string;
  message: string;
}

/** How a rule names fields: Sigma's Sysmon-shaped taxonomy, or the Security log's own EventData names. */
export type FieldForm = 'taxonomy' | 'security';

/** Which normalized events a rule applies to. */
export interface RuleTarget {
  kind: EventKind;
  form: FieldForm;
  /** Registry rules: the actions the logsource category covers (registry_set → set-value ...). */
  registryActions?: readonly RegistryAction[];
  fileActions?: readonly FileAction[];
  /** The logsource as written, for display: 'windows/registry_set', 'windows/security'. */
  logsource: string;
}

export interface SigmaRuleMeta {
  id: string;
  title: string;
  level: string;
  status?: string;
  tags: string[];
  /** The rule file as given to the loader. */
  path: string;
  /** 1-based line where the rule's document starts. */
  line: number;
  description?: string;
  falsepositives?: string[];
}

/** One field value as the evaluator sees it. undefined: the field is absent; null: present but null. */
export type FieldValue = string | number | null | undefined;

/**
 * The event as a Sigma rule sees it. `get` answers Sigma (Sysmon-shaped) field names; `getRaw`
 * answers names as the source wrote them (for Security-form rules); `values` lists every raw
 * value for keyword search.
 */
export interface SigmaEventView {
  readonly kind: EventKind;
  readonly source: string;
  readonly registryAction?: RegistryAction;
  readonly fileAction?: FileAction;
  get(field: string): FieldValue;
  getRaw(field: string): FieldValue;
  /** Every field value of the event (strings), for keyword search. */
  values(): readonly string[];
  /** values(), lower-cased (cached). */
  lowerValues(): readonly string[];
  /** Lower-cased string form of a field, cached per event (form-qualified). */
  lower(form: FieldForm, field: string): string | undefined;
}

export type EventPredicate = (view: SigmaEventView) => boolean;

export interface CompiledRule {
  meta: SigmaRuleMeta;
  targets: readonly RuleTarget[];
  match: EventPredicate;
  /**
   * Taxonomy rules only: keys (`img:` / `pimg:` + image / parent image file name, `ofn:` + OriginalFileName, lower-cased) of
   * which a matching event must have one; absent when no such condition is provable (see gate.ts).
   */
  gate?: ReadonlySet<string>;
}

export interface SigmaHit {
  rule: SigmaRuleMeta;
  /** eventKey() of the event that matched. */
  eventKey: string;
  /** The logsource the rule matched under. */
  logsource: string;
}
