// Exports through the one API: JSON report, CSV, Sigma, SPL or KQL, of all findings, the filtered
// ones, or the selected ones. The back half writes the text (it owns escaping and CSV formula
// neutralisation); the renderer only hands it to the browser's download.

import { useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/api';
import { useCaseStore } from '../state/case-store';
import { shownFindings, useTableView } from '../state/derived';
import { call, download } from '../state/actions';

const FORMAT_LABEL: Record<ExportFormat, string> = {
  json: 'JSON report',
  csv: 'CSV (Timeline Explorer)',
  sigma: 'Sigma rules',
  spl: 'Splunk SPL',
  kql: 'KQL (Defender)',
};

type Scope = 'all' | 'filtered' | 'selected';

export function ExportMenu() {
  const [format, setFormat] = useState<ExportFormat>('json');
  const [scope, setScope] = useState<Scope>('all');
  const [busy, setBusy] = useState(false);
  const view = useTableView();
  const marked = useCaseStore((s) => s.marked);
  const selectedId = useCaseStore((s) => s.selectedId);
  const total = useCaseStore((s) => s.findings.length);
  const selectedIds = marked.size ? [...marked] : selectedId ? [selectedId] : [];

  const counts: Record<Scope, number> = { all: total, filtered: view.shown, selected: selectedIds.length };

  async function run(): Promise<void> {
    setBusy(true);
    try {
      const findingIds = scope === 'all' ? undefined : scope === 'filtered' ? shownFindings(view).map((f) => f.id) : selectedIds;
      const file = await call('export.findings', findingIds ? { format, findingIds } : { format });
      if (file) download(file.fileName, file.mime, file.text);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="export-menu menu">
      <summary>Export…</summary>
      <div className="menu-body" role="group" aria-label="Export findings">
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABEL[f]}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Findings</legend>
          {(['all', 'filtered', 'selected'] as const).map((s) => (
            <label key={s} className="radio">
              <input type="radio" name="export-scope" value={s} checked={scope === s} onChange={() => setScope(s)} />
              {s === 'all' ? 'All' : s === 'filtered' ? 'Filtered' : 'Selected'} ({counts[s]})
            </label>
          ))}
        </fieldset>
        <button type="button" className="primary" disabled={busy || counts[scope] === 0} onClick={() => void run()}>
          {busy ? 'Exporting…' : 'Download'}
        </button>
      </div>
    </details>
  );
}
