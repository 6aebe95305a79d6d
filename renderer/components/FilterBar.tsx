// Search and filters. The global search and severity chips are always visible; the per-column
// filters fold out. Baselined findings are hidden by default and the count says how many.

import { useState } from 'react';
import type { Severity } from '../../shared/model/finding';
import { useCaseStore } from '../state/case-store';
import { activeFilterCount, type BaselineFilter, type TextFilterId } from '../logic/filter';
import { SEVERITIES_DESC, severityClass, severityLabel } from '../logic/severity';
import { formatCount, plural } from '../logic/format';
import { BASELINE_LABEL } from '../logic/columns';
import { ColumnChooser } from './ColumnChooser';

const TEXT_FILTERS: ReadonlyArray<[TextFilterId, string]> = [
  ['host', 'Host'],
  ['user', 'User'],
  ['key', 'Key'],
  ['valueName', 'Value name'],
  ['writer', 'Writer'],
  ['indicator', 'Indicator'],
];

export function FilterBar({ shown, hiddenBaselined }: { shown: number; hiddenBaselined: number }) {
  const filters = useCaseStore((s) => s.filters);
  const setFilters = useCaseStore((s) => s.setFilters);
  const resetFilters = useCaseStore((s) => s.resetFilters);
  const grouped = useCaseStore((s) => s.grouped);
  const setGrouped = useCaseStore((s) => s.setGrouped);
  const total = useCaseStore((s) => s.findings.length);
  const [more, setMore] = useState(false);
  const active = activeFilterCount(filters);

  function toggleSeverity(s: Severity): void {
    const has = filters.severities.includes(s);
    setFilters({ severities: has ? filters.severities.filter((x) => x !== s) : [...filters.severities, s] });
  }

  return (
    <section className="filter-bar" aria-label="Filters">
      <div className="filter-row">
        <label className="search">
          <span className="sr-only">Search findings</span>
          <input
            type="search"
            placeholder="Search host, value, writer, indicator…"
            value={filters.search}
            onChange={(e) => setFilters({ search: e.target.value })}
          />
        </label>
        <div className="sev-chips" role="group" aria-label="Severity">
          {SEVERITIES_DESC.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip ${severityClass(s)}${filters.severities.includes(s) ? ' on' : ''}`}
              aria-pressed={filters.severities.includes(s)}
              onClick={() => toggleSeverity(s)}
            >
              {severityLabel(s)}
            </button>
          ))}
        </div>
        <button type="button" aria-expanded={more} aria-controls="column-filters" onClick={() => setMore(!more)}>
          Filters{active ? ` (${active})` : ''}
        </button>
        <label className="check">
          <input type="checkbox" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} />
          Group by value
        </label>
        <ColumnChooser />
      </div>
      {more && (
        <div className="filter-row column-filters" id="column-filters">
          {TEXT_FILTERS.map(([id, label]) => (
            <label key={id} className="field">
              <span>{label}</span>
              <input type="text" value={filters[id]} onChange={(e) => setFilters({ [id]: e.target.value })} />
            </label>
          ))}
          <label className="field">
            <span>Baseline</span>
            <select value={filters.baseline} onChange={(e) => setFilters({ baseline: e.target.value as BaselineFilter })}>
              <option value="any">Any</option>
              {(Object.keys(BASELINE_LABEL) as Array<keyof typeof BASELINE_LABEL>).map((k) => (
                <option key={k} value={k}>
                  {BASELINE_LABEL[k]}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={resetFilters} disabled={active === 0}>
            Clear filters
          </button>
        </div>
      )}
      <div className="filter-row counts" aria-live="polite">
        <span data-testid="shown-count">
          Showing {formatCount(shown)} of {plural(total, 'finding')}
        </span>
        {(hiddenBaselined > 0 || filters.showBaselined) && (
          <label className="check">
            <input type="checkbox" checked={filters.showBaselined} onChange={(e) => setFilters({ showBaselined: e.target.checked })} />
            {filters.showBaselined ? 'Showing baselined findings' : `Show ${plural(hiddenBaselined, 'baselined finding')} (hidden)`}
          </label>
        )}
      </div>
    </section>
  );
}
