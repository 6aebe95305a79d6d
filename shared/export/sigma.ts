// Sigma rules per finding cluster, written with the `yaml` package (so any attacker-controlled text
// is quoted correctly) and with values escaped per the Sigma specification (`*`, `?` and a
// backslash before them or before another backslash are escaped; other backslashes stay single).
// Field names come from the field table. A cluster with nothing specific to match on (no value name
// and no stable value fragment) gets no rule rather than one that matches every write.

import { stringify } from 'yaml';
import type { Finding } from '../model/finding';
import { TOOL_NAME, TOOL_VERSION } from '../version';
import { clusterFindings, commandLineTerms, isMatchable, type Cluster } from './clusters';
import { fieldName } from './field-names';

/** Escape a literal for a Sigma value: wildcards and the backslashes that would escape them. */
export function escapeSigma(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '*' || c === '?') out += '\\' + c;
    else if (c === '\\') {
      const n = s[i + 1];
      out += n === '*' || n === '?' || n === '\\' ? '\\\\' : '\\';
    } else out += c;
  }
  return out;
}

const LEVEL: Record<string, string> = { informational: 'informational', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

export interface SigmaRule {
  clusterId: string;
  title: string;
  yaml: string;
  /** Finding ids the rule covers. */
  findingIds: string[];
}

function tags(c: Cluster): string[] {
  const t = ['attack.persistence'];
  for (const a of c.attack) t.push(`attack.${a.toLowerCase()}`);
  return t;
}

function detection(c: Cluster): Record<string, unknown> | undefined {
  if (!isMatchable(c)) return undefined;
  const sel: Record<string, unknown> = {};
  const list = (xs: string[]) => (xs.length === 1 ? xs[0] : xs);
  if (c.kind === 'registry') {
    // an empty (hidden) value name is specific on its own: TargetObject ends with the key and a backslash
    const targets = c.keyTails.flatMap((t) => (c.valueNames.length ? c.valueNames.map((n) => `${t}\\${n}`) : [t]));
    sel[`${fieldName('registry', 'targetObject', 'sigma')}|endswith`] = list(targets.map(escapeSigma));
    if (c.fragment) sel[`${fieldName('registry', 'details', 'sigma')}|contains`] = escapeSigma(c.fragment);
    return { selection: sel, condition: 'selection' };
  }
  if (c.kind === 'file') {
    const f = fieldName('file', 'targetFilename', 'sigma');
    sel[`${f}|contains`] = escapeSigma('\\Start Menu\\Programs\\Startup\\');
    sel[`${f}|endswith`] = list(c.fileNames.map((n) => escapeSigma('\\' + n)));
    return { selection: sel, condition: 'selection' };
  }
  sel[`${fieldName('process', 'process.commandLine', 'sigma')}|contains|all`] = commandLineTerms(c).map(escapeSigma);
  return { selection: sel, condition: 'selection' };
}

function logsource(c: Cluster): Record<string, string> {
  const category = c.kind === 'registry' ? 'registry_set' : c.kind === 'file' ? 'file_event' : 'process_creation';
  return { product: 'windows', category };
}

function describe(c: Cluster): string {
  const f = c.findings[0];
  const what = c.kind === 'file' ? `the file ${c.fileNames.join(', ')} created in a Startup folder`
    : c.kind === 'process' ? `a command line writing the ${c.locationTitle}`
      : `the ${c.locationTitle} value ${c.valueNames.map((n) => (n === '' ? '(empty name)' : n)).join(', ')}`;
  return `Detects ${what}, seen by ${TOOL_NAME} on ${c.hosts.length} host(s) (${c.findings.length} finding(s), highest severity ${c.severity}). `
    + `Value: ${f.value.slice(0, 300)}. Reasons: ${f.reasons.filter((r) => r.weight > 0).map((r) => r.title).join('; ')}.`;
}

/** One Sigma rule per cluster (where the cluster has something specific to match on). */
export function sigmaRules(findings: readonly Finding[], analysisDate: Date): SigmaRule[] {
  const date = analysisDate.toISOString().slice(0, 10);
  const out: SigmaRule[] = [];
  for (const c of clusterFindings(findings)) {
    const det = detection(c);
    if (!det) continue;
    const title = c.kind === 'file'
      ? `Startup folder file ${c.fileNames[0]}`
      : c.kind === 'process' ? `Command line writes ${c.locationTitle}` : `${c.locationTitle} value ${c.valueNames[0] === '' ? '(empty name)' : c.valueNames[0] ?? ''}`.trim();
    const rule = {
      title: `RunKey Hunter - ${title}`.slice(0, 256),
      id: c.id,
      status: 'experimental',
      description: describe(c),
      references: ['https://attack.mitre.org/techniques/T1547/001/'],
      author: `${TOOL_NAME} ${TOOL_VERSION}`,
      date,
      tags: tags(c),
      logsource: logsource(c),
      detection: det,
      falsepositives: ['Legitimate software that installs this exact autostart entry (add it to the baseline)'],
      level: LEVEL[c.severity] ?? 'medium',
    };
    out.push({ clusterId: c.id, title: rule.title, yaml: stringify(rule, { lineWidth: 0 }), findingIds: c.findings.map((f) => f.id) });
  }
  return out;
}

/** Every rule as one multi-document YAML file. */
export function sigmaYaml(findings: readonly Finding[], analysisDate: Date): string {
  return sigmaRules(findings, analysisDate).map((r) => r.yaml).join('---\n');
}
