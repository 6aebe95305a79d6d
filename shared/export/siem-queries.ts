// Splunk SPL (Sysmon and Security 4657 / 4688) and Defender KQL hunts per finding cluster. Field
// names come from the field table. Every value that reaches a query is attacker-controlled (value
// names, data, file names, command lines), so each is encoded to mean exactly itself:
//
// SPL. In `search` terms `*` is always a wildcard and a backslash cannot escape it (Splunk Search
// Manual, "Backslashes"); a quoted term escapes only `\` and `"`. So a value is written as a search
// term only when that is exact: no `*`, no control character (a raw newline would split the query
// when pasted), no backtick (``` opens a comment) and no `$` (a dashboard token). Any other value
// is matched in `| where match(field, "<regex>")`: an eval string literal (only `\\` and `\"` are
// escapes in it) holding a PCRE that is literal by construction: ASCII punctuation backslash-
// escaped, control characters and `"` `\` `` ` `` `$` as \xHH (so none of them is in the query
// text at all; other characters stay as they are, so non-ASCII text matches as its UTF-8 bytes
// whether or not the PCRE runs in UTF mode), anchored with \A / \z (PCRE's `$` would also match
// before a final newline) and (?i), since search terms are case-blind too. `like()` was not used:
// it has no documented escape for its `%` and `_` wildcards.
//
// KQL. A verbatim @"..." string (backslashes literal, a quote doubled) when the value has no control
// character; the Kusto lexer refuses a raw CR or LF in any quoted literal, so a value with one is a
// regular "..." literal with the escapes Microsoft's Kusto.Language writes itself
// (\" \\ \a \b \f \n \r \t \v). Operators are the case-blind ones (endswith, contains, in~).
//
// The text file's comment lines (`// title`, ``` title ```) carry a finding's value in the title: it
// is cleared of everything that would end the comment (line breaks, U+2028/9) or open a new one.
//
// Clusters with nothing specific to match get no query, like the Sigma exporter.

import type { Finding } from '../model/finding';
import { clusterFindings, clusterTitle, commandLineTerms, isMatchable, type Cluster } from './clusters';
import { fieldName, joinedFields } from './field-names';

/** A literal inside an SPL double-quoted term. SPL has no escape for `*`: it stays a wildcard. */
export function splString(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

// Control characters are told by their codes (the lint refuses them in regex classes).
const isControl = (code: number) => code < 0x20 || code === 0x7f;

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isControl(s.charCodeAt(i))) return true;
  return false;
}

// The escapes Kusto.Language's own GetDoubleQuotedStringLiteral writes (and \v, also in its lexer).
const KQL_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** A KQL string literal for s: verbatim (backslashes literal, a quote doubled) unless s has a control character. */
export function kqlString(s: string): string {
  if (!hasControl(s)) return '@"' + s.replace(/"/g, '""') + '"';
  let out = '"';
  for (const c of s) out += KQL_ESCAPES[c] ?? c;
  return out + '"';
}

/** How an SPL condition compares a field with its literal (always case-blind, as Splunk's search terms are). */
export type SplMatch = 'equals' | 'endswith' | 'contains';
interface SplCondition { field: string; match: SplMatch; literal: string }

/** Whether a `search` term holds s literally (see the header): no `*`, backtick, `$` or control character. */
function searchSafe(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isControl(c) || c === 0x2a || c === 0x60 || c === 0x24) return false;
  }
  return true;
}

/** A PCRE matching exactly the literal, each character encoded so the eval string needs no raw control, quote, backtick or `$`. */
export function splLiteralRegex(literal: string, match: SplMatch): string {
  let body = '';
  for (const ch of literal) {
    const code = ch.codePointAt(0) ?? 0;
    if (/[A-Za-z0-9 ]/.test(ch) || code >= 0x80) body += ch;
    else if (isControl(code) || ch === '"' || ch === '\\' || ch === '`' || ch === '$') body += '\\x' + code.toString(16).padStart(2, '0');
    else body += '\\' + ch; // ASCII punctuation: a backslash before a non-alphanumeric is always literal in PCRE
  }
  return '(?i)' + (match === 'equals' ? '\\A' : '') + body + (match === 'contains' ? '' : '\\z');
}

/** An SPL eval string literal: only `\\` and `\"` are escapes. */
function splEvalString(s: string): string {
  return '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

function splField(name: string): string {
  // field names come from the field table; one that eval would need quoted is a table error
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`SPL field name ${name} needs quoting`);
  return name;
}

function searchTerm(c: SplCondition): string {
  const v = c.match === 'equals' ? c.literal : c.match === 'endswith' ? '*' + c.literal : '*' + c.literal + '*';
  return `${c.field}=${splString(v)}`;
}

/** SPL for conditions ANDed, each group an OR of alternatives: search terms where exact, the rest in one `| where`. */
function splFilter(groups: readonly (readonly SplCondition[])[]): { search: string[]; where: string } {
  const search: string[] = [];
  const where: string[] = [];
  for (const g of groups) {
    if (!g.length) continue;
    if (g.every((c) => searchSafe(c.literal))) {
      const terms = g.map(searchTerm);
      search.push(terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`);
    } else {
      const ms = g.map((c) => `match(${splField(c.field)}, ${splEvalString(splLiteralRegex(c.literal, c.match))})`);
      where.push(ms.length === 1 ? ms[0] : `(${ms.join(' OR ')})`);
    }
  }
  return { search, where: where.join(' AND ') };
}

function splQuery(head: string, groups: readonly (readonly SplCondition[])[], table: string): string {
  const { search, where } = splFilter(groups);
  return [[head, ...search].join(' '), ...(where ? [`| where ${where}`] : []), `| table ${table}`].join('\n');
}

const SYSMON = '(source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" OR sourcetype="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational" OR sourcetype="WinEventLog:Microsoft-Windows-Sysmon/Operational")';
const SECURITY = '(source="XmlWinEventLog:Security" OR source="WinEventLog:Security" OR sourcetype="XmlWinEventLog" OR sourcetype="WinEventLog")';

export interface SiemQuery {
  clusterId: string;
  title: string;
  language: 'spl' | 'kql';
  /** Which data the query runs on. */
  target: string;
  query: string;
}

function splQueries(c: Cluster): SiemQuery[] {
  const out: SiemQuery[] = [];
  if (!isMatchable(c)) return out;
  const title = clusterTitle(c);
  const one = (field: string, match: SplMatch, literal: string): SplCondition[] => [{ field, match, literal }];
  if (c.kind === 'registry') {
    const named = c.valueNames;
    const to = fieldName('registry', 'targetObject', 'sysmon');
    const det = fieldName('registry', 'details', 'sysmon');
    const img = fieldName('registry', 'process.image', 'sysmon');
    const targets = c.keyTails.flatMap((t): SplCondition[] => (named.length ? named.map((n) => ({ field: to, match: 'endswith', literal: t + '\\' + n })) : [{ field: to, match: 'endswith', literal: t }]));
    const groups = [targets, ...(c.fragment ? [one(det, 'contains', c.fragment)] : [])];
    out.push({ clusterId: c.id, title, language: 'spl', target: 'Sysmon registry events (12/13/14)', query: splQuery(`index=* ${SYSMON} EventCode IN (12, 13, 14)`, groups, `_time host ${img} ${to} ${det}`) });

    const on = fieldName('registry', 'registryKey', 'security');
    const vn = fieldName('registry', 'valueName', 'security');
    const nv = fieldName('registry', 'details', 'security');
    const pn = fieldName('registry', 'process.image', 'security');
    const sec = [
      c.keyTails.map((t): SplCondition => ({ field: on, match: 'endswith', literal: t })),
      ...(named.length ? [named.map((n): SplCondition => ({ field: vn, match: 'equals', literal: n }))] : []),
      ...(c.fragment ? [one(nv, 'contains', c.fragment)] : []),
    ];
    out.push({ clusterId: c.id, title, language: 'spl', target: 'Security 4657 (registry auditing)', query: splQuery(`index=* ${SECURITY} EventCode=4657`, sec, `_time host ${pn} ${on} ${vn} ${nv}`) });
  } else if (c.kind === 'file') {
    const tf = fieldName('file', 'targetFilename', 'sysmon');
    const groups = [one(tf, 'contains', '\\Start Menu\\Programs\\Startup\\'), c.fileNames.map((n): SplCondition => ({ field: tf, match: 'endswith', literal: '\\' + n }))];
    out.push({ clusterId: c.id, title, language: 'spl', target: 'Sysmon file creation (11)', query: splQuery(`index=* ${SYSMON} EventCode=11`, groups, `_time host ${fieldName('file', 'process.image', 'sysmon')} ${tf}`) });
  } else {
    const terms = commandLineTerms(c);
    const cl = fieldName('process', 'process.commandLine', 'sysmon');
    const scl = fieldName('process', 'process.commandLine', 'security');
    out.push({ clusterId: c.id, title, language: 'spl', target: 'Sysmon process creation (1)', query: splQuery(`index=* ${SYSMON} EventCode=1`, terms.map((t) => one(cl, 'contains', t)), `_time host ${fieldName('process', 'process.image', 'sysmon')} ${cl}`) });
    out.push({ clusterId: c.id, title, language: 'spl', target: 'Security 4688 (process creation with command line)', query: splQuery(`index=* ${SECURITY} EventCode=4688`, terms.map((t) => one(scl, 'contains', t)), `_time host ${fieldName('process', 'process.image', 'security')} ${scl}`) });
  }
  return out;
}

function kqlQueries(c: Cluster): SiemQuery[] {
  if (!isMatchable(c)) return [];
  const title = clusterTitle(c);
  if (c.kind === 'registry') {
    const rk = fieldName('registry', 'registryKey', 'defender');
    const rv = fieldName('registry', 'valueName', 'defender');
    const rd = fieldName('registry', 'details', 'defender');
    const act = fieldName('registry', 'sourceAction', 'defender');
    const lines = ['DeviceRegistryEvents', `| where ${act} == "RegistryValueSet"`, `| where ${c.keyTails.map((t) => `${rk} endswith ${kqlString(t)}`).join(' or ')}`];
    if (c.valueNames.length) lines.push(`| where ${rv} in~ (${c.valueNames.map(kqlString).join(', ')})`);
    if (c.fragment) lines.push(`| where ${rd} contains ${kqlString(c.fragment)}`);
    const [folder, file] = joinedFields('registry', 'process.image', 'defender');
    lines.push(`| project Timestamp, DeviceName, ${folder}, ${file}, ${rk}, ${rv}, ${rd}`);
    return [{ clusterId: c.id, title, language: 'kql', target: 'Defender DeviceRegistryEvents', query: lines.join('\n') }];
  }
  if (c.kind === 'file') {
    const [folder, file] = joinedFields('file', 'targetFilename', 'defender');
    return [{
      clusterId: c.id, title, language: 'kql', target: 'Defender DeviceFileEvents',
      query: ['DeviceFileEvents', `| where ${folder} contains ${kqlString('\\Start Menu\\Programs\\Startup')}`, `| where ${file} in~ (${c.fileNames.map(kqlString).join(', ')})`, `| project Timestamp, DeviceName, InitiatingProcessFileName, ${folder}, ${file}`].join('\n'),
    }];
  }
  const terms = commandLineTerms(c);
  const cl = fieldName('process', 'process.commandLine', 'defender');
  return [{
    clusterId: c.id, title, language: 'kql', target: 'Defender DeviceProcessEvents',
    query: ['DeviceProcessEvents', `| where ${terms.map((t) => `${cl} contains ${kqlString(t)}`).join(' and ')}`, `| project Timestamp, DeviceName, FileName, ${cl}`].join('\n'),
  }];
}

export function splQueriesFor(findings: readonly Finding[]): SiemQuery[] {
  return clusterFindings(findings).flatMap(splQueries);
}

export function kqlQueriesFor(findings: readonly Finding[]): SiemQuery[] {
  return clusterFindings(findings).flatMap(kqlQueries);
}

/** A title with a space for whatever would end a comment line (Kusto's line breaks include U+2028 and U+2029) or open an SPL comment. */
function commentText(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += isControl(c) || c === 0x85 || c === 0x2028 || c === 0x2029 || ch === '`' ? ' ' : ch;
  }
  return out;
}

/** A text file of queries, each preceded by a comment naming its cluster and target. */
export function queriesText(qs: readonly SiemQuery[]): string {
  const comment = (q: SiemQuery) => {
    const text = `${q.target}: ${commentText(q.title)}`;
    return q.language === 'kql' ? `// ${text}` : `\`\`\` ${text} \`\`\``;
  };
  return qs.map((q) => `${comment(q)}\n${q.query}\n`).join('\n');
}
