// The analyst's baseline: every entry with what it matches, its reason, analyst and date; edit,
// disable or delete; import (merge or replace) and export of the baseline file; the built-in
// known-good list for reference. Changes go to the back half, which saves the file and re-scores
// the open case.

import { useRef, useState } from 'react';
import type { BaselineEntry } from '../../shared/api';
import { useCaseStore } from '../state/case-store';
import { call, download } from '../state/actions';
import { MATCH_KINDS, SCOPE_LABEL, describeMatch, describeRestriction, type MatchKind } from '../logic/baseline-draft';
import { plural } from '../logic/format';

type Match = BaselineEntry['match'];

function emptyMatch(kind: MatchKind, from: Match): Match {
  const text = from.kind === 'exact-value' || from.kind === 'normalized-value' ? from.value : '';
  switch (kind) {
    case 'exact-value':
    case 'normalized-value':
      return { kind, value: text };
    case 'key-name-writer':
      return from.kind === 'key-name-writer' ? from : { kind, registryKey: '', valueName: '', writerImage: '' };
    case 'host':
      return from.kind === 'host' ? from : { kind, host: '' };
  }
}

function MatchFields({ match, onChange }: { match: Match; onChange: (m: Match) => void }) {
  switch (match.kind) {
    case 'exact-value':
    case 'normalized-value':
      return (
        <label className="field">
          <span>{match.kind === 'exact-value' ? 'Value' : 'Normalized value'}</span>
          <input type="text" value={match.value} onChange={(e) => onChange({ ...match, value: e.target.value })} />
        </label>
      );
    case 'key-name-writer':
      return (
        <>
          <label className="field">
            <span>Key</span>
            <input type="text" value={match.registryKey} onChange={(e) => onChange({ ...match, registryKey: e.target.value })} />
          </label>
          <label className="field">
            <span>Value name</span>
            <input type="text" value={match.valueName} onChange={(e) => onChange({ ...match, valueName: e.target.value })} />
          </label>
          <label className="field">
            <span>Writer image</span>
            <input type="text" value={match.writerImage} onChange={(e) => onChange({ ...match, writerImage: e.target.value })} />
          </label>
        </>
      );
    case 'host':
      return (
        <label className="field">
          <span>Host</span>
          <input type="text" value={match.host} onChange={(e) => onChange({ ...match, host: e.target.value })} />
        </label>
      );
  }
}

function EntryForm({ entry, onDone }: { entry: BaselineEntry; onDone: () => void }) {
  const [draft, setDraft] = useState<BaselineEntry>(entry);

  async function save(): Promise<void> {
    const state = await call('baseline.updateEntry', { id: entry.id, entry: draft });
    if (state) {
      useCaseStore.getState().setBaseline(state);
      onDone();
    }
  }

  return (
    <form
      className="entry-form"
      aria-label="Edit baseline entry"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="field">
        <span>Scope</span>
        <select value={draft.match.kind} onChange={(e) => setDraft({ ...draft, match: emptyMatch(e.target.value as MatchKind, draft.match) })}>
          {MATCH_KINDS.map((s) => (
            <option key={s} value={s}>
              {SCOPE_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <MatchFields match={draft.match} onChange={(match) => setDraft({ ...draft, match })} />
      <label className="field">
        <span>Reason</span>
        <input type="text" value={draft.reason} onChange={(e) => setDraft({ ...draft, reason: e.target.value })} required />
      </label>
      <label className="field">
        <span>Analyst</span>
        <input type="text" value={draft.analyst} onChange={(e) => setDraft({ ...draft, analyst: e.target.value })} required />
      </label>
      <div className="row-actions">
        <button type="submit" className="primary">
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function EntryRow({ entry }: { entry: BaselineEntry }) {
  const [editing, setEditing] = useState(false);
  const restriction = describeRestriction(entry);

  async function toggle(): Promise<void> {
    const state = await call('baseline.updateEntry', { id: entry.id, entry: { ...entry, enabled: !entry.enabled } });
    if (state) useCaseStore.getState().setBaseline(state);
  }
  async function remove(): Promise<void> {
    const state = await call('baseline.deleteEntry', { id: entry.id });
    if (state) useCaseStore.getState().setBaseline(state);
  }

  return (
    <li className={entry.enabled ? 'baseline-entry' : 'baseline-entry disabled'} data-testid="baseline-entry">
      <div className="entry-main">
        <span className="scope-tag">{SCOPE_LABEL[entry.match.kind]}</span>
        {!entry.enabled && <span className="scope-tag off">Disabled</span>}
        <p className="mono entry-match">{describeMatch(entry.match)}</p>
        {restriction && <p className="small">{restriction}</p>}
        <p className="small">
          {entry.reason || '(no reason given)'} — <span className="muted">{entry.analyst || 'unknown analyst'}{entry.date ? `, ${entry.date}` : ''}</span>
        </p>
      </div>
      <div className="row-actions">
        <button type="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
          Edit
        </button>
        <button type="button" onClick={() => void toggle()}>
          {entry.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" className="danger" onClick={() => void remove()}>
          Delete
        </button>
      </div>
      {editing && <EntryForm entry={entry} onDone={() => setEditing(false)} />}
    </li>
  );
}

export function BaselineEditor() {
  const baseline = useCaseStore((s) => s.baseline);
  const fileInput = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [note, setNote] = useState('');

  async function exportFile(): Promise<void> {
    const file = await call('baseline.export', {});
    if (file) download(file.fileName, file.mime, file.text);
  }

  async function importFile(file: File): Promise<void> {
    const text = await file.text();
    const state = await call('baseline.import', { text, mode });
    if (state) {
      useCaseStore.getState().setBaseline(state);
      setNote(`Imported ${plural(state.imported, 'entry', 'entries')} from ${file.name}.`);
    }
  }

  return (
    <section className="baseline-editor" aria-labelledby="baseline-title">
      <div className="baseline-head">
        <h2 id="baseline-title">Baseline</h2>
        <p className="muted small">
          {baseline
            ? `${plural(baseline.entries.length, 'analyst entry', 'analyst entries')} and ${plural(baseline.builtin.length, 'built-in known-good entry', 'built-in known-good entries')}. Saved in ${baseline.path}.`
            : 'Loading…'}
        </p>
        <div className="row-actions">
          <button type="button" onClick={() => void exportFile()}>
            Export baseline…
          </button>
          <label className="field inline">
            <span>Import mode</span>
            <select value={mode} onChange={(e) => setMode(e.target.value as 'merge' | 'replace')}>
              <option value="merge">Merge with these entries</option>
              <option value="replace">Replace these entries</option>
            </select>
          </label>
          <button type="button" onClick={() => fileInput.current?.click()}>
            Import baseline…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            className="visually-hidden-input"
            aria-label="Baseline file to import"
            tabIndex={-1}
            data-testid="baseline-import-input"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void importFile(f);
            }}
          />
        </div>
        <p role="status" className="small">
          {note}
        </p>
        {baseline?.loadProblem && (
          <p className="problem-error" role="alert">
            The baseline file could not be read ({baseline.loadProblem.code}): {baseline.loadProblem.message}
            {baseline.loadProblem.movedTo ? ` It was kept as ${baseline.loadProblem.movedTo}.` : ''}
          </p>
        )}
      </div>
      {baseline && baseline.entries.length === 0 ? (
        <p className="muted">No analyst entries yet. Use “Mark as false positive…” on a finding to add one.</p>
      ) : (
        <ul className="baseline-list" aria-label="Baseline entries">
          {baseline?.entries.map((e) => (
            <EntryRow key={e.id} entry={e} />
          ))}
        </ul>
      )}
      {baseline && baseline.builtin.length > 0 && (
        <details className="builtin-list">
          <summary>Built-in known-good software ({baseline.builtin.length})</summary>
          <ul>
            {baseline.builtin.map((b) => (
              <li key={b.id}>
                {b.label} <span className="muted small">({b.locations.join(', ')}; matched on name, path and writer together)</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
