// The app shell: connects the client, subscribes to pushed events, applies the theme, and shows the
// start screen until a case is open, then the findings, case timeline or baseline view.

import { useEffect } from 'react';
import { EVENT_NAMES } from '../shared/api';
import { createClient } from './client';
import { useCaseStore } from './state/case-store';
import { call, refreshAll } from './state/actions';
import { AppHeader } from './components/AppHeader';
import { StartScreen } from './components/StartScreen';
import { IngestPanel } from './components/IngestPanel';
import { FindingsView } from './components/FindingsView';
import { CaseTimeline } from './components/CaseTimeline';
import { BaselineEditor } from './components/BaselineEditor';
import { FalsePositiveDialog } from './components/FalsePositiveDialog';
import { SettingsDialog } from './components/SettingsDialog';
import { StatusLine } from './components/StatusLine';
import { loadBenchFindings } from './dev/bench-page';
import { useIdlePreparation } from './state/derived';

function useTheme(): void {
  const theme = useCaseStore((s) => s.theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', theme);
  }, [theme]);
}

function useBackend(): void {
  useEffect(() => {
    if (loadBenchFindings()) return undefined;
    const client = createClient(window);
    const store = useCaseStore.getState();
    store.setClient(client, null);
    const offs = EVENT_NAMES.map((name) => client.on(name, (payload) => useCaseStore.getState().applyEvent(name, payload)));
    void (async () => {
      const info = await call('app.info', {});
      if (info) useCaseStore.getState().setClient(client, info);
      await refreshAll();
    })();
    return () => offs.forEach((off) => off());
  }, []);
}

/**
 * While a case is being read, ask for its snapshot every second as well: pushed events can be
 * missed (an event stream that reconnects, a tiny case finished before the stream was open), and
 * the final snapshot and finding list must never be.
 */
function useReadingWatch(): void {
  const state = useCaseStore((s) => s.snapshot?.state);
  const caseId = useCaseStore((s) => s.snapshot?.caseId);
  useEffect(() => {
    if (state !== 'reading' && state !== 'analyzing') return undefined;
    const timer = setInterval(() => {
      void (async () => {
        const snap = await call('case.snapshot', {});
        if (!snap || snap.caseId !== caseId) return;
        const s = useCaseStore.getState();
        if (snap.state === 'reading' || snap.state === 'analyzing') {
          if (s.snapshot?.state !== snap.state) s.setSnapshot(snap);
          return;
        }
        const list = await call('findings.list', {});
        s.setSnapshot(snap);
        if (list) useCaseStore.getState().setFindings(list.caseId, list.revision, list.findings);
      })();
    }, 1000);
    return () => clearInterval(timer);
  }, [state, caseId]);
}

export function App() {
  useReadingWatch();
  useIdlePreparation();
  useTheme();
  useBackend();
  const snapshot = useCaseStore((s) => s.snapshot);
  const view = useCaseStore((s) => s.view);
  const connected = useCaseStore((s) => s.connected);
  const hasCase = !!snapshot && snapshot.state !== 'empty';
  return (
    <div className="app">
      <AppHeader hasCase={hasCase} />
      <StatusLine />
      <main className="app-main" id="main">
        {!connected ? (
          <p className="connecting muted" role="status">
            Connecting…
          </p>
        ) : !hasCase ? (
          <StartScreen />
        ) : (
          <>
            <IngestPanel />
            {view === 'findings' && <FindingsView />}
            {view === 'timeline' && <CaseTimeline />}
            {view === 'baseline' && <BaselineEditor />}
          </>
        )}
      </main>
      <FalsePositiveDialog />
      <SettingsDialog />
    </div>
  );
}
