// Exports of the open case's findings for the API (JSON report, CSV, Sigma, SPL, KQL). The formats
// are the engine's (shared/export, the same renderer the CLI uses); this module hands over the
// case's inputs (with their SHA-256), its problems and counts, and names the file.

import type { CaseSnapshot, ExportFile, ExportFormat, Result } from '../../shared/api';
import { ok } from '../../shared/api';
import type { Finding } from '../../shared/model/finding';
import type { Problem } from '../../shared/model/problems';
import { renderExport } from '../../shared/export/index';

export interface ExportContext {
  snapshot?: CaseSnapshot;
  problems: readonly Problem[];
  baselineEntries: number;
}

export function exportFindings(format: ExportFormat, findings: readonly Finding[], ctx: ExportContext): Result<ExportFile> {
  const files = ctx.snapshot?.files ?? [];
  const r = renderExport(format, {
    findings,
    inputs: files.map((f) => ({ file: f.name, sha256: f.sha256, format: f.format ?? 'unknown', size: f.size, records: f.records, failedRecords: f.failedRecords })),
    problems: ctx.problems,
    events: files.reduce((n, f) => n + f.records, 0),
    settings: { minSeverity: 'informational', baseline: { entries: ctx.baselineEntries, builtin: true } },
    analysisTime: new Date(),
  });
  const stem = format === 'json' ? 'runkey-hunter-report' : `runkey-hunter-${format === 'csv' ? 'findings' : format === 'sigma' ? 'rules' : 'hunts'}`;
  return ok({ fileName: `${stem}.${r.extension}`, mime: r.mime, text: r.text });
}
