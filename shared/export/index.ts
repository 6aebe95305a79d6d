// One entry point for every export format, so the CLI, the desktop back half and the browser host
// render identical files. 'json' is the full report (with its JSON Schema), 'ndjson' one finding per
// line for large outputs, the others per-cluster rules and hunts.

import type { Finding } from '../model/finding';
import { findingsCsv } from './csv';
import { buildReport, type BuildReportArgs } from './report';
import { kqlQueriesFor, queriesText, splQueriesFor } from './siem-queries';
import { sigmaYaml } from './sigma';

export const OUTPUT_FORMATS = ['json', 'csv', 'sigma', 'spl', 'kql', 'ndjson'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderedExport {
  text: string;
  mime: string;
  extension: string;
}

/** Render findings in a format. For 'json', `report` carries the inputs, problems and settings. */
export function renderExport(format: OutputFormat, report: BuildReportArgs): RenderedExport {
  const findings: readonly Finding[] = report.findings;
  switch (format) {
    case 'json':
      return { text: JSON.stringify(buildReport(report), null, 2) + '\n', mime: 'application/json', extension: 'json' };
    case 'ndjson':
      return { text: findings.map((f) => JSON.stringify(f)).join('\n') + (findings.length ? '\n' : ''), mime: 'application/x-ndjson', extension: 'ndjson' };
    case 'csv':
      return { text: findingsCsv(findings), mime: 'text/csv', extension: 'csv' };
    case 'sigma':
      return { text: sigmaYaml(findings, report.analysisTime), mime: 'application/yaml', extension: 'yml' };
    case 'spl':
      return { text: queriesText(splQueriesFor(findings)), mime: 'text/plain', extension: 'spl' };
    case 'kql':
      return { text: queriesText(kqlQueriesFor(findings)), mime: 'text/plain', extension: 'kql' };
  }
}

export { buildReport, REPORT_SCHEMA, type ScanReport, type ReportInput, type BuildReportArgs } from './report';
export { findingsCsv, csvCell } from './csv';
export { sigmaRules, sigmaYaml, escapeSigma } from './sigma';
export { splQueriesFor, kqlQueriesFor, queriesText, splString, kqlString } from './siem-queries';
