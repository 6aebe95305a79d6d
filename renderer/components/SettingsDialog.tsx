// Settings: the folder of community Sigma rules run beside our own indicators. In the desktop app a
// native folder dialog picks it; in the browser host (which runs on the analyst's own machine,
// bound to loopback) the analyst types a folder path on that machine. The back half reads the
// folder when a case is opened, so a change applies to the next case; the status line says what
// was loaded for the case opened last, or why it could not be.

import { useEffect, useRef, useState } from 'react';
import type { Result, Settings } from '../../shared/api';
import { useCaseStore } from '../state/case-store';
import { call, tryCall } from '../state/actions';
import { sigmaStatusView } from '../logic/sigma-settings';

export function SettingsDialog() {
  const open = useCaseStore((s) => s.settingsOpen);
  const setOpen = useCaseStore((s) => s.openSettings);
  const settings = useCaseStore((s) => s.settings);
  const info = useCaseStore((s) => s.info);
  const ref = useRef<HTMLDialogElement>(null);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The analyst typed in the folder field since the dialog opened. */
  const edited = useRef(false);
  const native = info?.host === 'electron';

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setError(null);
      edited.current = false;
      setPath(useCaseStore.getState().settings?.sigmaRulesFolder ?? '');
      d.showModal();
      // the status changes when a case is opened (no event for that): ask again each time
      void call('settings.get', {}).then((st) => {
        if (!st) return;
        useCaseStore.getState().setSettings(st);
        // a path typed while the answer was on its way stays (it was lost on a slow host)
        if (!edited.current) setPath(st.sigmaRulesFolder ?? '');
      });
    } else if (!open && d.open) d.close();
  }, [open]);

  async function run(work: () => Promise<Result<Settings | null>>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await work();
      if (!r.ok) setError(`${r.error.message} [${r.error.code}]`);
      else if (r.value) {
        useCaseStore.getState().setSettings(r.value);
        setPath(r.value.sigmaRulesFolder ?? '');
      }
    } finally {
      setBusy(false);
    }
  }

  const folder = settings?.sigmaRulesFolder ?? null;
  const status = sigmaStatusView(settings);
  const trimmed = path.trim();
  return (
    <dialog ref={ref} className="settings-dialog" aria-labelledby="settings-title" onClose={() => setOpen(false)}>
      {open && (
        <div className="settings-body">
          <h2 id="settings-title">Settings</h2>
          <section aria-labelledby="settings-sigma">
            <h3 id="settings-sigma">Sigma rules</h3>
            <p className="small">
              Community Sigma rules (registry, process-creation and file-event rules) run on the evidence beside RunKey Hunter&apos;s own indicators; their
              hits appear as reasons and findings.
            </p>
            <dl className="facts">
              <div className="fact">
                <dt>Folder</dt>
                <dd className="mono" data-testid="sigma-folder">
                  {folder ?? 'None'}
                </dd>
              </div>
            </dl>
            <p role="status" className={status.error ? 'sigma-status error-text' : 'sigma-status'} data-testid="sigma-status">
              {status.text}
            </p>
            {native ? (
              <div className="row-actions">
                <button type="button" className="primary" disabled={busy} onClick={() => void run(() => tryCall('settings.chooseSigmaFolder', {}))}>
                  Choose folder…
                </button>
                <button type="button" disabled={busy || !folder} onClick={() => void run(() => tryCall('settings.update', { sigmaRulesFolder: null }))}>
                  Clear
                </button>
              </div>
            ) : (
              <form
                className="settings-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (trimmed) void run(() => tryCall('settings.update', { sigmaRulesFolder: trimmed }));
                }}
              >
                <label className="field">
                  <span>Folder path on the machine running RunKey Hunter</span>
                  <input type="text" className="mono" value={path} onChange={(e) => {
                      edited.current = true;
                      setPath(e.target.value);
                    }} spellCheck={false} autoComplete="off" placeholder="e.g. /home/analyst/sigma/rules/windows" />
                </label>
                <div className="row-actions">
                  <button type="submit" className="primary" disabled={busy || !trimmed || trimmed === folder}>
                    Apply
                  </button>
                  <button type="button" disabled={busy || !folder} onClick={() => void run(() => tryCall('settings.update', { sigmaRulesFolder: null }))}>
                    Clear
                  </button>
                </div>
              </form>
            )}
            {error && (
              <p role="alert" className="error-text">
                {error}
              </p>
            )}
            <p className="muted small">
              The rules are read when a case is opened: a change applies to cases opened after it. To run new rules on the open evidence, open it again
              (New case…).
            </p>
          </section>
          <div className="row-actions">
            <button type="button" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
