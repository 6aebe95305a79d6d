// Which columns the table shows; the choice is remembered.

import { COLUMNS } from '../logic/columns';
import { useCaseStore } from '../state/case-store';

export function ColumnChooser() {
  const visibility = useCaseStore((s) => s.columnVisibility);
  const setVisible = useCaseStore((s) => s.setColumnVisible);
  return (
    <details className="menu column-chooser">
      <summary>Columns</summary>
      <fieldset className="menu-body">
        <legend className="sr-only">Visible columns</legend>
        {COLUMNS.map((c) => (
          <label key={c.id} className="check">
            <input type="checkbox" checked={visibility[c.id]} disabled={c.id === 'severity'} onChange={(e) => setVisible(c.id, e.target.checked)} />
            {c.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
