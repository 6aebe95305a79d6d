// Sigma support: load rule files (loader) → compile each rule once to closures (compile) → index
// by event kind and action (ruleset) → evaluate events (evaluate) → findings (findings). The public
// surface other stages use is re-exported here.

export type {
  CompiledRule, FieldForm, FieldValue, RuleTarget, SigmaEventView, SigmaHit, SigmaRuleMeta, SigmaUnsupported, SigmaUnsupportedCode,
} from './types';
export { SIGMA_UNSUPPORTED_CODES } from './types';
export { loadSigmaRules, type RuleFile, type LoadResult, type SigmaRuleSource } from './loader';
export { compileRule, compileRules, type CompileResult } from './compile';
export { buildRuleset, evaluate, loadRuleset, type SigmaRuleset } from './ruleset';
export { eventView } from './event-view';
export { attackIdsOfTags, severityOfLevel, sigmaHitToFinding, sigmaReason } from './findings';
export { checkExportedRule, type CheckInput, type ExportCheck } from './check-export';
export { sigmaReferencedFields } from './referenced-fields';
