// The JSON report: tool version, analysis time, settings, inputs (with SHA-256 and format, which
// the host computes and passes in), counts, problems and every finding with its suggested Sigma
// rule. Its JSON Schema (draft 2020-12) is REPORT_SCHEMA below, published as
// assets/schema/report.schema.json by scripts/write-report-schema.ts; tests validate reports with ajv.

import type { Finding, Severity } from '../model/finding';
import { SEVERITIES, severityRank } from '../model/finding';
import type { Problem } from '../model/problems';
import { TOOL_NAME, TOOL_VERSION } from '../version';
import { sigmaRules } from './sigma';

export const REPORT_FORMAT = 'runkey-hunter-report';
export const REPORT_FORMAT_VERSION = 1;
export const REPORT_SCHEMA_ID = 'https://runkey-hunter.invalid/schema/report.schema.json';

export interface ReportInput {
  file: string;
  sha256?: string;
  /** What the reader recognised: evtx, xml, json, csv, archive, unknown. */
  format: string;
  size?: number;
  records?: number;
  failedRecords?: number;
  /** EVTX: how many of `records` were carved from slack or headerless chunks (deleted records). */
  recoveredRecords?: number;
  /** EVTX: carved slack candidates that did not decode (not failures). */
  deletedFragments?: number;
}

export interface ReportSettings {
  minSeverity: Severity;
  baseline?: { name?: string; entries: number; builtin: boolean };
  options?: Record<string, unknown>;
}

export type ReportFinding = Finding & { suggestedSigma?: string };

export interface ScanReport {
  $schema: string;
  format: typeof REPORT_FORMAT;
  formatVersion: number;
  tool: { name: string; version: string };
  analysisTime: string;
  settings: ReportSettings;
  inputs: ReportInput[];
  counts: {
    events: number;
    findings: number;
    /** Findings at or above the threshold (the ones listed). */
    reported: number;
    bySeverity: Record<Severity, number>;
    baselined: number;
    problems: number;
  };
  problems: Problem[];
  findings: ReportFinding[];
}

export interface BuildReportArgs {
  findings: readonly Finding[];
  inputs: readonly ReportInput[];
  problems: readonly Problem[];
  events: number;
  settings: ReportSettings;
  analysisTime: Date;
}

export function buildReport(a: BuildReportArgs): ScanReport {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of a.findings) bySeverity[f.severity]++;
  const listed = a.findings.filter((f) => severityRank(f.severity) >= severityRank(a.settings.minSeverity));
  const rules = sigmaRules(listed, a.analysisTime);
  const ruleOf = new Map<string, string>();
  for (const r of rules) for (const id of r.findingIds) ruleOf.set(id, r.yaml);
  return {
    $schema: REPORT_SCHEMA_ID,
    format: REPORT_FORMAT,
    formatVersion: REPORT_FORMAT_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    analysisTime: a.analysisTime.toISOString(),
    settings: a.settings,
    inputs: [...a.inputs],
    counts: {
      events: a.events, findings: a.findings.length, reported: listed.length, bySeverity,
      baselined: a.findings.filter((f) => f.baseline.status !== 'none').length, problems: a.problems.length,
    },
    problems: [...a.problems],
    findings: listed.map((f) => (ruleOf.has(f.id) ? { ...f, suggestedSigma: ruleOf.get(f.id) } : { ...f })),
  };
}

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const strArr = { type: 'array', items: str } as const;
const severity = { enum: [...SEVERITIES] } as const;

const evidenceRef = {
  type: 'object',
  required: ['file', 'format'],
  properties: {
    file: str, member: str, format: { enum: ['evtx', 'xml', 'json', 'csv', 'regf'] }, recordId: int, headerRecordId: int, line: int, offset: int, chunk: int, index: int,
    // EVTX: the record was carved (chunk slack or a chunk whose header is gone), not read as allocated
    recovered: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

const evidenceSighting = {
  type: 'object', required: ['key', 'ref', 'source'],
  properties: { key: str, ref: { $ref: '#/$defs/evidenceRef' }, eventId: int, source: str }, additionalProperties: false,
} as const;

const eventLink = {
  type: 'object',
  required: ['key', 'kind', 'time', 'ref', 'summary'],
  properties: {
    key: str, kind: { enum: ['registry', 'process', 'file'] }, time: str, ref: { $ref: '#/$defs/evidenceRef' }, summary: str,
    alsoSeenIn: { type: 'array', items: { $ref: '#/$defs/evidenceSighting' } },
  },
  additionalProperties: false,
} as const;

const processIdentity = {
  type: 'object',
  properties: { image: str, pid: int, processGuid: str, commandLine: str, user: str, hashes: str, parentImage: str, parentCommandLine: str },
  additionalProperties: false,
} as const;

const reason = {
  type: 'object',
  required: ['id', 'title', 'weight', 'attack', 'explanation'],
  properties: { id: str, title: str, weight: num, attack: strArr, explanation: str, matched: str },
  additionalProperties: false,
} as const;

const finding = {
  type: 'object',
  required: ['id', 'basis', 'host', 'time', 'timeMs', 'location', 'locationTitle', 'value', 'normalizedValue', 'writer', 'score', 'severity', 'reasons', 'attack', 'baseline', 'correlation', 'evidence'],
  properties: {
    id: str,
    basis: { enum: ['registry', 'startup-file', 'command-line', 'script', 'sigma', 'hive'] },
    host: str,
    user: str,
    time: str,
    timeMs: { type: ['number', 'null'] },
    location: str,
    locationTitle: str,
    registryKey: str,
    valueName: str,
    value: str,
    payloadPath: str,
    wow64: { type: 'boolean' },
    commandLine: str,
    action: { enum: ['set-value', 'create-key', 'delete-key', 'delete-value', 'rename-key', 'file-create', 'command'] },
    normalizedValue: str,
    writer: { $ref: '#/$defs/processIdentity' },
    score: num,
    severity,
    reasons: { type: 'array', items: { $ref: '#/$defs/reason' } },
    attack: { type: 'array', items: { type: 'string', pattern: '^T\\d{4}(\\.\\d{3})?$' } },
    decodedPowerShell: str,
    rarity: {
      type: 'object', required: ['hosts', 'totalHosts', 'count', 'rare'],
      properties: { hosts: int, totalHosts: int, count: int, rare: { type: 'boolean' } }, additionalProperties: false,
    },
    baseline: {
      type: 'object', required: ['status'],
      properties: { status: { enum: ['none', 'baselined', 'baselined-but-suspicious'] }, entryId: str, scope: str, reason: str, analyst: str },
      additionalProperties: false,
    },
    correlation: {
      type: 'object', required: ['writerAncestors', 'payloadCreated', 'executions', 'deletions'],
      properties: {
        writerProcess: { $ref: '#/$defs/eventLink' },
        writerAncestors: { type: 'array', items: { $ref: '#/$defs/eventLink' } },
        payloadCreated: { type: 'array', items: { $ref: '#/$defs/eventLink' } },
        executions: { type: 'array', items: { $ref: '#/$defs/eventLink' } },
        deletions: { type: 'array', items: { $ref: '#/$defs/eventLink' } },
        commandLineSightings: { type: 'array', items: { $ref: '#/$defs/eventLink' } },
        keyCreated: { type: 'array', items: { $ref: '#/$defs/eventLink' } },
        // the Security 4624 logon that carried a write made over the network
        networkLogon: {
          type: 'object', required: ['key', 'ref', 'time', 'logonType'],
          properties: { key: str, ref: { $ref: '#/$defs/evidenceRef' }, time: str, logonType: int, account: str, sourceIp: str, workstation: str, logonId: str },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    evidence: { $ref: '#/$defs/evidenceSighting' },
    alsoSeenIn: { type: 'array', items: { $ref: '#/$defs/evidenceSighting' }, minItems: 1 },
    sigmaRule: {
      type: 'object', required: ['id', 'title', 'level', 'tags'],
      properties: { id: str, title: str, level: str, tags: strArr, path: str }, additionalProperties: false,
    },
    suggestedSigma: str,
  },
  additionalProperties: false,
  // the engine's own findings are all T1547.001; a community Sigma rule's hit on another event (a
  // finding of basis 'sigma') carries the techniques of its rule's tags, which may be others or none
  if: { properties: { basis: { const: 'sigma' } } },
  else: { properties: { attack: { contains: { const: 'T1547.001' } } } },
} as const;

const problemSchema = {
  type: 'object',
  required: ['code', 'level', 'file', 'message'],
  properties: { code: str, level: { enum: ['warning', 'error'] }, file: str, member: str, offset: int, chunk: int, record: int, line: int, message: str },
  additionalProperties: false,
} as const;

export const REPORT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: REPORT_SCHEMA_ID,
  title: 'RunKey Hunter scan report',
  type: 'object',
  required: ['format', 'formatVersion', 'tool', 'analysisTime', 'settings', 'inputs', 'counts', 'problems', 'findings'],
  properties: {
    $schema: str,
    format: { const: REPORT_FORMAT },
    formatVersion: { const: REPORT_FORMAT_VERSION },
    tool: { type: 'object', required: ['name', 'version'], properties: { name: str, version: str }, additionalProperties: false },
    analysisTime: { type: 'string', format: 'date-time' },
    settings: {
      type: 'object', required: ['minSeverity'],
      properties: {
        minSeverity: severity,
        baseline: { type: 'object', required: ['entries', 'builtin'], properties: { name: str, entries: int, builtin: { type: 'boolean' } }, additionalProperties: false },
        options: { type: 'object' },
      },
      additionalProperties: false,
    },
    inputs: {
      type: 'array',
      items: {
        type: 'object', required: ['file', 'format'],
        properties: { file: str, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' }, format: str, size: int, records: int, failedRecords: int, recoveredRecords: int, deletedFragments: int },
        additionalProperties: false,
      },
    },
    counts: {
      type: 'object', required: ['events', 'findings', 'reported', 'bySeverity', 'baselined', 'problems'],
      properties: {
        events: int, findings: int, reported: int, baselined: int, problems: int,
        bySeverity: { type: 'object', required: [...SEVERITIES], properties: Object.fromEntries(SEVERITIES.map((s) => [s, int])), additionalProperties: false },
      },
      additionalProperties: false,
    },
    problems: { type: 'array', items: { $ref: '#/$defs/problem' } },
    findings: { type: 'array', items: { $ref: '#/$defs/finding' } },
  },
  additionalProperties: false,
  $defs: { evidenceRef, evidenceSighting, eventLink, processIdentity, reason, finding, problem: problemSchema },
} as const;
