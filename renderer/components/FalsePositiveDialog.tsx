// "Mark as false positive": choose the scope, say why and who, see how many findings the entry
// would suppress (asked of the back half, which owns matching), then save. The back half re-scores
// the case and pushes the new findings.

import { useEffect, useRef, useState } from 'react';
import { useCaseStore } from '../state/case-store';
import { call } from '../state/actions';
import { MATCH_KINDS, SCOPE_LABEL, describeMatch, draftEntry, matchFor, scopeApplies, type MatchKind } from '../logic/baseline-draft';
import { plural } from '../logic/format';

const ANALYST_KEY = 'runkey.analyst';

export function FalsePositiveDialog() {
  const id = useCaseStore((s) => s.fpFindingId);
  const finding = useCaseStore((s) => (id ? s.findingById.get(id) : undefined));
  const close = useCaseStore((s) => s.openFalsePositive);
  const ref = useRef<HTMLDialogElement>(null);
  const [scope, setScope] = useState<MatchKind>('exact-value');
  const [reason, setReason] = useState('');
  const [analyst, setAnalyst] = useState(() => localStorage.getItem(ANALYST_KEY) ?? '');
  const [preview, setPreview] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (finding && !d.open) {
      setScope('exact-value');
      setReason('');
      d.showModal();
    } else if (!finding && d.open) d.close();
  }, [finding]);

  useEffect(() => {
    if (!finding) return undefined;
    let live = true;
    setPreview(null);
    void call('baseline.previewSuppression', { entry: draftEntry(finding, scope, reason || '-', analyst || '-') }).then((p) => {
      if (live && p) setPreview(p.count);
    });
    return () => {
      live = false;
    };
    // the preview depends on the scope only; reason and analyst do not change what matches
  }, [finding, scope]);

  async function save(): Promise<void> {
    if (!finding) return;
    setSaving(true);
    try {
      localStorage.setItem(ANALYST_KEY, analyst);
      const state = await call('baseline.addEntry', { entry: draftEntry(finding, scope, reason.trim(), analyst.trim()) });
      if (state) {
        useCaseStore.getState().setBaseline(state);
        close(null);
      }
    } finally {
      setSaving(false);
    }
  }

  const valid = reason.trim().length > 0 && analyst.trim().length > 0;
  return (
    <dialog ref={ref} className="fp-dialog" aria-labelledby="fp-title" onClose={() => close(null)}>
      {finding && (
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) void save();
          }}
        >
          <h2 id="fp-title">Mark as false positive</h2>
          <p className="muted small mono">{finding.value}</p>
          <fieldset>
            <legend>Scope</legend>
            {MATCH_KINDS.filter((s) => scopeApplies(finding, s)).map((s) => (
              <label key={s} className="radio">
                <input type="radio" name="fp-scope" value={s} checked={scope === s} onChange={() => setScope(s)} />
                <span>
                  {SCOPE_LABEL[s]}
                  <span className="muted small mono scope-detail">{describeMatch(matchFor(finding, s))}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label className="field">
            <span>Reason</span>
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} required placeholder="e.g. IT's software deployment agent" />
          </label>
          <label className="field">
            <span>Analyst</span>
            <input type="text" value={analyst} onChange={(e) => setAnalyst(e.target.value)} required autoComplete="name" />
          </label>
          <p role="status" className="preview" data-testid="fp-preview">
            {preview === null ? 'Counting the findings it would suppress…' : `Will suppress ${plural(preview, 'finding')} in this case.`}
          </p>
          <div className="row-actions">
            <button type="submit" className="primary" disabled={!valid || saving}>
              {saving ? 'Saving…' : 'Add to baseline'}
            </button>
            <button type="button" onClick={() => close(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
