// Splunk SPL (Sysmon and Security 4657 / 4688) and Defender KQL hunts per finding cluster. Field
// names come from the field table; every string is escaped for its language (SPL: backslash and
// double quote inside "..."; KQL: verbatim @"..." strings with doubled quotes). Clusters with nothing
// specific to match get no query, like the Sigma exporter.

import type { Finding } from '../model/finding';
import { clusterFindings, clusterTitle, commandLineTerms, isMatchable, type Cluster } from './clusters';
import { fieldName, joinedFields } from './field-names';

/** A literal inside an SPL double-quoted term. SPL has no escape for `*`: it stays a wildcard. */
export function splString(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

/** A KQL verbatim string literal: backslashes are literal, a quote is doubled. */
export function kqlString(s: string): string {
  return '@"' + s.replace(/"/g, '""') + '"';
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

const wild = (s: string) => splString('*' + s + '*');

function splQueries(c: Cluster): SiemQuery[] {
  const out: SiemQuery[] = [];
  if (!isMatchable(c)) return out;
  const title = clusterTitle(c);
  if (c.kind === 'registry') {
    const named = c.valueNames;
    const to = fieldName('registry', 'targetObject', 'sysmon');
    const det = fieldName('registry', 'details', 'sysmon');
    const img = fieldName('registry', 'process.image', 'sysmon');
    const targets = c.keyTails.flatMap((t) => (named.length ? named.map((n) => `${to}=${splString('*' + t + '\\' + n)}`) : [`${to}=${splString('*' + t)}`]));
    const parts = [`index=* ${SYSMON} EventCode IN (12, 13, 14)`, `(${targets.join(' OR ')})`];
    if (c.fragment) parts.push(`${det}=${wild(c.fragment)}`);
    out.push({ clusterId: c.id, title, language: 'spl', target: 'Sysmon registry events (12/13/14)', query: `${parts.join(' ')}\n| table _time host ${img} ${to} ${det}` });

    const on = fieldName('registry', 'registryKey', 'security');
    const vn = fieldName('registry', 'valueName', 'security');
    const nv = fieldName('registry', 'details', 'security');
    const pn = fieldName('registry', 'process.image', 'security');
    const sec = [`index=* ${SECURITY} EventCode=4657`, `(${c.keyTails.map((t) => `${on}=${splString('*' + t)}`).join(' OR ')})`];
    if (named.length) sec.push(`(${named.map((n) => `${vn}=${splString(n)}`).join(' OR ')})`);
    if (c.fragment) sec.push(`${nv}=${wild(c.fragment)}`);
    out.push({ clusterId: c.id, title, language: 'spl', target: 'Security 4657 (registry auditing)', query: `${sec.join(' ')}\n| table _time host ${pn} ${on} ${vn} ${nv}` });
  } else if (c.kind === 'file') {
    const tf = fieldName('file', 'targetFilename', 'sysmon');
    const q = `index=* ${SYSMON} EventCode=11 ${tf}="*\\\\Start Menu\\\\Programs\\\\Startup\\\\*" (${c.fileNames.map((n) => `${tf}=${splString('*\\' + n)}`).join(' OR ')})\n| table _time host ${fieldName('file', 'process.image', 'sysmon')} ${tf}`;
    out.push({ clusterId: c.id, title, language: 'spl', target: 'Sysmon file creation (11)', query: q });
  } else {
    const terms = commandLineTerms(c);
    const cl = fieldName('process', 'process.commandLine', 'sysmon');
    const scl = fieldName('process', 'process.commandLine', 'security');
    out.push({ clusterId: c.id, title, language: 'spl', target: 'Sysmon process creation (1)', query: `index=* ${SYSMON} EventCode=1 ${terms.map((t) => `${cl}=${wild(t)}`).join(' ')}\n| table _time host ${fieldName('process', 'process.image', 'sysmon')} ${cl}` });
    out.push({ clusterId: c.id, title, language: 'spl', target: 'Security 4688 (process creation with command line)', query: `index=* ${SECURITY} EventCode=4688 ${terms.map((t) => `${scl}=${wild(t)}`).join(' ')}\n| table _time host ${fieldName('process', 'process.image', 'security')} ${scl}` });
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

/** A text file of queries, each preceded by a comment naming its cluster and target. */
export function queriesText(qs: readonly SiemQuery[]): string {
  const comment = (q: SiemQuery) => (q.language === 'kql' ? '//' : '```').concat(' ', `${q.target}: ${q.title.replace(/[\r\n`]/g, ' ')}`, q.language === 'spl' ? ' ```' : '');
  return qs.map((q) => `${comment(q)}\n${q.query}\n`).join('\n');
}
