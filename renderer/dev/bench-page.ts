// Dev-only benchmark page: `?bench=100000` fills the store with that many synthetic findings (no
// back half needed) and exposes timing hooks the Playwright benchmark reads. Never used with
// evidence; the synthetic findings are marked as such in the case title.

import type { CaseSnapshot } from '../../shared/api';
import { useCaseStore } from '../state/case-store';
import { syntheticFindings } from './synthetic-findings';

export function benchCount(search: string): number {
  const n = Number(new URLSearchParams(search).get('bench'));
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1_000_000) : 0;
}

export function loadBenchFindings(): boolean {
  const n = benchCount(window.location.search);
  if (!n) return false;
  const findings = syntheticFindings(n, 1);
  const snap: CaseSnapshot = {
    caseId: 'bench',
    title: `Benchmark: ${n} synthetic findings`,
    state: 'ready',
    revision: 1,
    files: [],
    progress: { bytesTotal: 0, bytesDone: 0, records: 0, findings: n, filesTotal: 0, filesDone: 0, elapsedMs: 0 },
    findingCount: n,
    problemCounts: {},
    workers: 0,
  };
  const s = useCaseStore.getState();
  s.setSnapshot(snap);
  s.setConnected();
  performance.mark('bench:data-ready');
  s.setFindings('bench', 1, findings);
  // the benchmark drives filters through the store; only on this page
  (window as unknown as { __runkeyStore?: typeof useCaseStore }).__runkeyStore = useCaseStore;
  return true;
}
