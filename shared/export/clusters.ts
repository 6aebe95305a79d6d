// Findings grouped for rule generation: one cluster per basis + autostart location + normalized
// value, so the same persistence on 40 hosts gives one rule. Each cluster knows the stable pieces a
// rule can match on (key tail without hive or SID, value names, a value fragment without user names,
// GUIDs or versions), so rules are specific enough for a fleet and never match on an empty string.
// Every piece is literally in the text the rule matches (Details, CommandLine), so a rule always
// matches the event it was made from.

import type { Finding, Severity } from '../model/finding';
import { severityRank } from '../model/finding';
import { parseRegistryPath } from '../model/registry-path';
import { baseName } from '../detect/paths';
import { stableUuid } from '../detect/stable-id';
import { addUnique } from '../detect/collections';
import { isNonTextData } from '../detect/registry-data';

export interface Cluster {
  id: string;
  kind: 'registry' | 'file' | 'process';
  location: string;
  locationTitle: string;
  findings: Finding[];
  hosts: string[];
  severity: Severity;
  attack: string[];
  /** Key below the hive and SID, with a leading backslash: \SOFTWARE\Microsoft\...\Run */
  keyTails: string[];
  valueNames: string[];
  /** A stable, non-empty piece of the value data, or undefined when there is none. */
  fragment?: string;
  /** For startup files: the file names. */
  fileNames: string[];
}

/** Key path below the hive (and SID): stable across users and spellings. */
export function keyTail(registryKey: string): string {
  const p = parseRegistryPath(registryKey);
  return '\\' + p.subPath;
}

const VARIABLE = /[a-z]:\\users\\[^\\"]+\\|\{[0-9a-f-]{36}\}|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b\d+\.\d+\.\d+(\.\d+)?\b|%[a-z]+%|"/gi;

/** The longest stable piece of a value (user folders, GUIDs, versions and quotes cut out). */
export function stableFragment(value: string, payloadPath?: string): string | undefined {
  const pick = (s: string): string | undefined => {
    const parts = s.split(VARIABLE).filter((x): x is string => typeof x === 'string').map((x) => x.trim());
    let best = '';
    for (const p of parts) if (p.length > best.length) best = p;
    best = best.slice(0, 160).trim();
    return best.replace(/[\s\\]/g, '').length >= 4 ? best : undefined;
  };
  if (payloadPath) {
    // the payload's folder below the user profile and its name is the most telling stable piece
    const tail = payloadPath.replace(/^"|"$/g, '').replace(/^.*\\users\\[^\\]+(?=\\)/i, '');
    const f = pick(tail);
    if (f && f.length >= 6) return f;
  }
  return pick(value);
}

/** The text a rule or hunt of this kind matches the fragment in: the value data, or the process command line. */
function matchedText(kind: Cluster['kind'], f: Finding): string {
  return kind === 'process' && f.commandLine !== undefined ? f.commandLine : f.value;
}

const containsCaseBlind = (text: string, piece: string) => text.toLowerCase().includes(piece.toLowerCase());

/**
 * A stable fragment that is literally in the text the rule matches. The payload path is read off the
 * value with quoting and cmd carets undone, and a command-line write's value with its argument
 * quoting undone, so a fragment taken from either may not occur in the logged text (Details,
 * CommandLine): a rule keyed on it would miss the very event it was made from.
 */
function literalFragment(f: Finding, text: string): string | undefined {
  for (const cand of [stableFragment(f.value, f.payloadPath), stableFragment(f.value)]) {
    if (cand !== undefined && containsCaseBlind(text, cand)) return cand;
  }
  return undefined;
}

export function clusterFindings(findings: readonly Finding[]): Cluster[] {
  const map = new Map<string, Cluster>();
  for (const f of findings) {
    const kind: Cluster['kind'] = f.basis === 'startup-file' ? 'file' : f.basis === 'command-line' ? 'process' : 'registry';
    const k = `${kind}|${f.location}|${f.normalizedValue}`;
    let c = map.get(k);
    if (!c) {
      c = {
        id: stableUuid(k), kind, location: f.location, locationTitle: f.locationTitle, findings: [], hosts: [], severity: f.severity,
        attack: [], keyTails: [], valueNames: [], fileNames: [],
        // Sysmon's "Binary Data" and its "DWORD (0x…)" spelling are no data other sources log: a rule keyed on them never matches 4657 or Defender
        fragment: kind === 'file' || isNonTextData(f.value) ? undefined : literalFragment(f, matchedText(kind, f)),
      };
      map.set(k, c);
    }
    c.findings.push(f);
    addUnique(c.hosts, [f.host]);
    if (severityRank(f.severity) > severityRank(c.severity)) c.severity = f.severity;
    addUnique(c.attack, f.attack);
    if (f.registryKey) {
      const t = keyTail(f.registryKey);
      if (!c.keyTails.some((x) => x.toLowerCase() === t.toLowerCase())) c.keyTails.push(t);
    }
    if (f.valueName !== undefined && !c.valueNames.includes(f.valueName)) c.valueNames.push(f.valueName);
    if (kind === 'file') {
      const n = baseName(f.value);
      if (n && !c.fileNames.includes(n)) c.fileNames.push(n);
    }
  }
  return [...map.values()];
}

/** Strings that name a command line writing this cluster's location: where, and what (for process_creation rules and hunts). */
export function commandLineTerms(c: Cluster): string[] {
  const t: string[] = [];
  if (c.location === 'startup-folder') t.push('\\Start Menu\\Programs\\Startup');
  else if (c.keyTails.length) t.push('\\' + c.keyTails[0].split('\\').filter(Boolean).slice(-2).join('\\'));
  // a value name read off a quoted argument is in the command line as written only if it needed no escaping
  const line = c.findings[0].commandLine;
  const name = c.valueNames.find((n) => n.replace(/\W/g, '').length >= 3 && (line === undefined || containsCaseBlind(line, n)));
  if (c.fragment) t.push(c.fragment);
  else if (name) t.push(name);
  return t;
}

/**
 * Whether a cluster has something specific to match: a value fragment or value names (an empty,
 * hidden name is specific on its own), Startup file names, or a command line's location AND what
 * it writes. Without it a rule or hunt would match every write of the location, so none is made.
 */
export function isMatchable(c: Cluster): boolean {
  if (c.kind === 'registry') return c.keyTails.length > 0 && (c.fragment !== undefined || c.valueNames.length > 0);
  if (c.kind === 'file') return c.fileNames.length > 0;
  return commandLineTerms(c).length >= 2;
}

/** One line naming a cluster in rule and query titles. */
export function clusterTitle(c: Cluster): string {
  return `${c.locationTitle}: ${c.findings[0].value.slice(0, 80)}`;
}
