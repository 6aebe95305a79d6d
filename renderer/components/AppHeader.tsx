// Top bar: the case title, the three views, exports, a way back to the start screen, settings
// (the Sigma rules folder) and the theme.

import { useCaseStore, type View } from '../state/case-store';
import { call } from '../state/actions';
import { ExportMenu } from './ExportMenu';
import { ThemeToggle } from './ThemeToggle';

const VIEWS: ReadonlyArray<[View, string]> = [
  ['findings', 'Findings'],
  ['timeline', 'Case timeline'],
  ['baseline', 'Baseline'],
];

export function AppHeader({ hasCase }: { hasCase: boolean }) {
  const view = useCaseStore((s) => s.view);
  const setView = useCaseStore((s) => s.setView);
  const title = useCaseStore((s) => s.snapshot?.title);
  const entries = useCaseStore((s) => s.baseline?.entries.length ?? 0);
  const openSettings = useCaseStore((s) => s.openSettings);

  async function closeCase(): Promise<void> {
    const snap = await call('case.close', {});
    if (snap) useCaseStore.getState().setSnapshot(snap);
  }

  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <h1 className="app-title">RunKey Hunter</h1>
      {hasCase && <span className="case-title" title={title}>{title}</span>}
      {hasCase && (
        <nav className="view-tabs" aria-label="Views">
          {VIEWS.map(([id, label]) => (
            <button key={id} type="button" className="tab" aria-current={view === id ? 'page' : undefined} onClick={() => setView(id)}>
              {label}
              {id === 'baseline' && entries > 0 ? ` (${entries})` : ''}
            </button>
          ))}
        </nav>
      )}
      <div className="header-actions">
        {hasCase && <ExportMenu />}
        {hasCase && (
          <button type="button" onClick={() => void closeCase()}>
            New case…
          </button>
        )}
        <button type="button" aria-haspopup="dialog" onClick={() => openSettings(true)}>
          Settings…
        </button>
        <ThemeToggle />
      </div>
    </header>
  );
}
