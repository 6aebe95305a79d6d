// Sigma logsource → the normalized events a rule applies to. The Sysmon-shaped categories follow
// Sigma's taxonomy appendix and pySigma's Sysmon pipeline (registry_set = EventID 13 SetValue,
// registry_add = 12 CreateKey, registry_delete = 12 DeleteKey / DeleteValue, registry_rename = 14,
// registry_event = all of them, process_creation = 1 / 4688, file_event = 11, file_delete = 23 / 26).
// We compare the normalized action rather than the EventType text so Security 4657 and Defender
// events select the same rules. `service: security` rules name the Security log's own fields and
// apply to 4657 / 4688 events, chosen by the EventIDs their detection mentions.

import type { RuleTarget } from './types';

export interface LogsourceSpec {
  product?: string;
  category?: string;
  service?: string;
}

export type LogsourceResult = { ok: true; targets: RuleTarget[] } | { ok: false; message: string };

const CATEGORY_TARGETS: Readonly<Record<string, Omit<RuleTarget, 'logsource'>>> = {
  registry_set: { kind: 'registry', form: 'taxonomy', registryActions: ['set-value'] },
  registry_add: { kind: 'registry', form: 'taxonomy', registryActions: ['create-key'] },
  registry_delete: { kind: 'registry', form: 'taxonomy', registryActions: ['delete-key', 'delete-value'] },
  registry_rename: { kind: 'registry', form: 'taxonomy', registryActions: ['rename-key'] },
  registry_event: { kind: 'registry', form: 'taxonomy' },
  process_creation: { kind: 'process', form: 'taxonomy' },
  file_event: { kind: 'file', form: 'taxonomy', fileActions: ['create'] },
  file_delete: { kind: 'file', form: 'taxonomy', fileActions: ['delete'] },
};

/** Security event ids the engine normalizes, and the kind each becomes. */
const SECURITY_EVENT_KINDS: ReadonlyMap<number, RuleTarget['kind']> = new Map([
  [4657, 'registry'],
  [4688, 'process'],
]);

/**
 * The targets of a logsource. `securityEventIds` are the EventID values the detection mentions
 * (only consulted for `service: security`).
 */
export function logsourceTargets(ls: LogsourceSpec, securityEventIds: readonly number[]): LogsourceResult {
  const product = ls.product?.toLowerCase();
  const category = ls.category?.toLowerCase();
  const service = ls.service?.toLowerCase();
  const shown = [product, category, service].filter((x) => x).join('/');
  if (product !== 'windows') return { ok: false, message: `logsource ${shown || '(none)'}: only product windows is read` };
  if (category) {
    const t = CATEGORY_TARGETS[category];
    if (!t) return { ok: false, message: `logsource ${shown}: category ${category} is not among the events the engine reads` };
    if (service && service !== 'sysmon' && service !== 'security') return { ok: false, message: `logsource ${shown}: service ${service} is not read` };
    return { ok: true, targets: [{ ...t, logsource: `windows/${category}` }] };
  }
  if (service === 'security') {
    const kinds = new Set<RuleTarget['kind']>();
    for (const id of securityEventIds) {
      const k = SECURITY_EVENT_KINDS.get(id);
      if (k) kinds.add(k);
    }
    if (kinds.size === 0) {
      return { ok: false, message: `logsource ${shown}: the rule does not select EventID 4657 or 4688, the only Security events the engine reads` };
    }
    return { ok: true, targets: [...kinds].map((kind) => ({ kind, form: 'security' as const, logsource: 'windows/security' })) };
  }
  return { ok: false, message: `logsource ${shown}: not among the events the engine reads` };
}
