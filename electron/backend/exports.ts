// Exports of the open case's findings for the API (JSON report, CSV, Sigma, SPL, KQL).
// The formats themselves belong to the engine (shared/export/); this module only picks the
// file name and MIME type and hands the findings and the case's input files over.

import type { CaseSnapshot, ExportFile, ExportFormat, Result } from '../../shared/api';
import { fail, ok } from '../../shared/api';
import type { Finding } from '../../shared/model/finding';
import { TOOL_NAME, TOOL_VERSION } from '../../shared/version';

export async function exportFindings(format: ExportFormat, findings: readonly Finding[], snapshot: CaseSnapshot | undefined): Promise<Result<ExportFile>> {
  if (format === 'json') {
    const report = {
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      analysisTime: new Date().toISOString(),
      inputs: (snapshot?.files ?? []).map((f) => ({ file: f.name, sha256: f.sha256, format: f.format, size: f.size, records: f.records })),
      findings,
    };
    return ok({ fileName: 'runkey-hunter-report.json', mime: 'application/json', text: JSON.stringify(report, null, 2) + '\n' });
  }
  return fail('UNSUPPORTED', `${format} export is not available yet`);
}
