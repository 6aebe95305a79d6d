// Baseline entries drafted from a finding, in the detection engine's format
// (shared/detect/baseline.ts): the `match` carries exactly the fields the chosen scope matches on,
// nothing more (a broader entry than the analyst chose would silence other findings).

import type { BaselineEntry, BaselineEntryInput } from '../../shared/api';
import type { Finding } from '../../shared/model/finding';

export type MatchKind = BaselineEntry['match']['kind'];
export const MATCH_KINDS: readonly MatchKind[] = ['exact-value', 'normalized-value', 'key-name-writer', 'host'];

export const SCOPE_LABEL: Readonly<Record<MatchKind, string>> = {
  'exact-value': 'This exact value',
  'normalized-value': 'This normalized value on any host',
  'key-name-writer': 'This key + value name + writer',
  host: 'Everything on this host',
};

export function matchFor(f: Finding, kind: MatchKind): BaselineEntry['match'] {
  switch (kind) {
    case 'exact-value':
      return { kind, value: f.value };
    case 'normalized-value':
      return { kind, value: f.normalizedValue };
    case 'key-name-writer':
      return { kind, registryKey: f.registryKey ?? '', valueName: f.valueName ?? '', writerImage: f.writer.image ?? '' };
    case 'host':
      return { kind, host: f.host };
  }
}

/** Whether this scope can be drafted from the finding (a Startup-file finding has no key to match). */
export function scopeApplies(f: Finding, kind: MatchKind): boolean {
  if (kind === 'key-name-writer') return !!f.registryKey && !!f.writer.image;
  return true;
}

export function draftEntry(f: Finding, kind: MatchKind, reason: string, analyst: string, today: Date = new Date()): BaselineEntryInput {
  return { analyst, reason, date: today.toISOString().slice(0, 10), enabled: true, scope: {}, match: matchFor(f, kind) };
}

/** What the entry matches, in one line, for the baseline list. */
export function describeMatch(m: BaselineEntry['match']): string {
  switch (m.kind) {
    case 'exact-value':
      return `value = ${m.value}`;
    case 'normalized-value':
      return `normalized value = ${m.value}`;
    case 'key-name-writer':
      return `${m.registryKey} \\ ${m.valueName || '(Default)'} written by ${m.writerImage}`;
    case 'host':
      return `host = ${m.host}`;
  }
}

export function describeRestriction(e: Pick<BaselineEntry, 'scope'>): string {
  const parts: string[] = [];
  if (e.scope.hosts?.length) parts.push(`only on ${e.scope.hosts.join(', ')}`);
  if (e.scope.location) parts.push(`only at ${e.scope.location}`);
  return parts.join('; ');
}
