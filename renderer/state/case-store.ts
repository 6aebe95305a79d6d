// The renderer's one store (zustand). It mirrors what the back half pushes — the case snapshot,
// per-file progress, problems, the finding set and the baseline — and holds the analyst's view
// state (filters, sort, grouping, columns, selection). Pushed events carry the case id; events of a
// case that is no longer open are dropped so a late batch cannot leak into the next case.

import { create } from 'zustand';
import type { AppInfo, BackendEvents, BaselineState, CaseFile, CaseSnapshot, RunkeyClient, Settings } from '../../shared/api';
import type { Finding } from '../../shared/model/finding';
import type { Problem } from '../../shared/model/problems';
import { COLUMNS, type ColumnId } from '../logic/columns';
import { EMPTY_FILTERS, type FindingFilters } from '../logic/filter';
import { DEFAULT_SORT, type SortSpec } from '../logic/sort';

export type View = 'findings' | 'timeline' | 'baseline';
export type ThemeChoice = 'system' | 'light' | 'dark';

/** Problems kept per file for display (the snapshot's counts cover all of them). */
const PROBLEMS_PER_FILE = 50;

export interface CaseStore {
  client: RunkeyClient | null;
  info: AppInfo | null;
  /** The first case snapshot has arrived (until then the app does not know whether a case is open). */
  connected: boolean;
  snapshot: CaseSnapshot | null;
  problems: Record<string, Problem[]>;
  findings: Finding[];
  /** Findings by id (no map is built up front: a 100,000-finding list arrives without waiting for it). */
  findingById: FindingLookup;
  revision: number;

  view: View;
  selectedId: string | null;
  /** Findings ticked for "export selected" (Space / Ctrl+click). */
  marked: ReadonlySet<string>;
  filters: FindingFilters;
  sort: SortSpec;
  grouped: boolean;
  expandedGroups: ReadonlySet<string>;
  columnVisibility: Record<ColumnId, boolean>;
  baseline: BaselineState | null;
  /** The finding the "Mark as false positive" form is open for. */
  fpFindingId: string | null;
  theme: ThemeChoice;
  /** The back half's settings (the Sigma rules folder and what was loaded from it). */
  settings: Settings | null;
  /** The Settings dialog is open. */
  settingsOpen: boolean;
  /** The last error from the back half, shown in a status line until dismissed. */
  error: string | null;

  setClient(client: RunkeyClient, info: AppInfo | null): void;
  setConnected(): void;
  applyEvent<E extends keyof BackendEvents>(event: E, payload: BackendEvents[E]): void;
  setSnapshot(s: CaseSnapshot): void;
  setFindings(caseId: string, revision: number, findings: Finding[]): void;
  setBaseline(b: BaselineState): void;
  setView(v: View): void;
  select(id: string | null): void;
  toggleMarked(id: string): void;
  clearMarked(): void;
  setFilters(patch: Partial<FindingFilters>): void;
  resetFilters(): void;
  setSort(s: SortSpec): void;
  setGrouped(g: boolean): void;
  toggleGroup(key: string): void;
  setColumnVisible(id: ColumnId, visible: boolean): void;
  openFalsePositive(id: string | null): void;
  setTheme(t: ThemeChoice): void;
  setSettings(st: Settings): void;
  openSettings(open: boolean): void;
  setError(message: string | null): void;
}

const THEME_KEY = 'runkey.theme';
const COLUMNS_KEY = 'runkey.columns';

function loadTheme(): ThemeChoice {
  const t = typeof localStorage === 'undefined' ? null : localStorage.getItem(THEME_KEY);
  return t === 'light' || t === 'dark' ? t : 'system';
}

function loadColumns(): Record<ColumnId, boolean> {
  const out = Object.fromEntries(COLUMNS.map((c) => [c.id, c.visible])) as Record<ColumnId, boolean>;
  const text = typeof localStorage === 'undefined' ? null : localStorage.getItem(COLUMNS_KEY);
  if (!text) return out;
  try {
    const saved: unknown = JSON.parse(text);
    if (saved && typeof saved === 'object') {
      for (const c of COLUMNS) {
        const v = (saved as Record<string, unknown>)[c.id];
        if (typeof v === 'boolean') out[c.id] = v;
      }
    }
  } catch (e) {
    console.warn('ignoring unreadable saved column choice', e);
  }
  return out;
}

/**
 * Findings by id. The map is built on first `has` (deduplicating a pushed batch); `extend` hands the built map on to the lookup of a longer
 * list (findings appended while a case is read), so a batch costs its own size, not the case's;
 * the old lookup rebuilds its own map if it is ever asked again.
 */
export class FindingLookup {
  private map: Map<string, Finding> | undefined;

  constructor(private readonly findings: readonly Finding[]) {}

  private built(): Map<string, Finding> {
    if (!this.map) {
      this.map = new Map();
      for (const f of this.findings) this.map.set(f.id, f);
    }
    return this.map;
  }

  /** One lookup (a selection) scans, about a millisecond for 100,000 findings; the map is built only where many are looked up. */
  get(id: string): Finding | undefined {
    if (this.map) return this.map.get(id);
    let found: Finding | undefined;
    for (const f of this.findings) if (f.id === id) found = f;
    return found;
  }

  has(id: string): boolean {
    return this.built().has(id);
  }

  /** The lookup of `findings`, which are this lookup's findings followed by `added`. */
  extend(findings: readonly Finding[], added: readonly Finding[]): FindingLookup {
    const next = new FindingLookup(findings);
    if (this.map) {
      next.map = this.map;
      this.map = undefined;
      for (const f of added) next.map.set(f.id, f);
    }
    return next;
  }
}

function mergeFiles(files: CaseFile[], updates: BackendEvents['ingest.progress']['files']): CaseFile[] {
  if (updates.length === 0) return files;
  const byId = new Map(updates.map((u) => [u.id, u]));
  return files.map((f) => {
    const u = byId.get(f.id);
    return u ? { ...f, ...u } : f;
  });
}

export const useCaseStore = create<CaseStore>()((set, get) => ({
  client: null,
  info: null,
  connected: false,
  snapshot: null,
  problems: {},
  findings: [],
  findingById: new FindingLookup([]),
  revision: 0,
  view: 'findings',
  selectedId: null,
  marked: new Set(),
  filters: EMPTY_FILTERS,
  sort: DEFAULT_SORT,
  grouped: false,
  expandedGroups: new Set(),
  columnVisibility: loadColumns(),
  baseline: null,
  fpFindingId: null,
  theme: loadTheme(),
  settings: null,
  settingsOpen: false,
  error: null,

  setClient: (client, info) => set({ client, info }),
  setConnected: () => set({ connected: true }),

  applyEvent: (event, payload) => {
    const s = get();
    const current = s.snapshot?.caseId;
    switch (event) {
      case 'case.opened': {
        const snap = payload as BackendEvents['case.opened'];
        s.setSnapshot(snap);
        return;
      }
      case 'ingest.progress': {
        const p = payload as BackendEvents['ingest.progress'];
        if (!s.snapshot || p.caseId !== current) return;
        set({ snapshot: { ...s.snapshot, progress: p.progress, files: mergeFiles(s.snapshot.files, p.files) } });
        return;
      }
      case 'findings.added': {
        const p = payload as BackendEvents['findings.added'];
        if (p.caseId !== current || p.findings.length === 0) return;
        const added = p.findings.filter((f) => !s.findingById.has(f.id));
        if (added.length === p.findings.length) {
          const findings = s.findings.concat(added);
          set({ findings, findingById: s.findingById.extend(findings, added) });
          return;
        }
        // some are new versions of findings already shown: replace those in place, append the rest
        const replaced = new Map(p.findings.map((f) => [f.id, f]));
        const findings = s.findings.map((f) => replaced.get(f.id) ?? f).concat(added);
        set({ findings, findingById: new FindingLookup(findings) });
        return;
      }
      case 'findings.replaced': {
        const p = payload as BackendEvents['findings.replaced'];
        if (p.caseId !== current) return;
        s.setFindings(p.caseId, p.revision, p.findings);
        return;
      }
      case 'ingest.problem': {
        const p = payload as BackendEvents['ingest.problem'];
        if (p.caseId !== current) return;
        const list = s.problems[p.fileId] ?? [];
        if (list.length >= PROBLEMS_PER_FILE) return;
        set({ problems: { ...s.problems, [p.fileId]: [...list, p.problem] } });
        return;
      }
      case 'ingest.done': {
        const p = payload as BackendEvents['ingest.done'];
        if (p.caseId !== current) return;
        set({ snapshot: p.snapshot });
        return;
      }
      case 'baseline.changed':
        s.setBaseline(payload as BackendEvents['baseline.changed']);
        return;
      case 'settings.changed':
        s.setSettings(payload as BackendEvents['settings.changed']);
        return;
      default:
        return;
    }
  },

  setSnapshot: (snap) => {
    const s = get();
    if (s.snapshot?.caseId === snap.caseId) {
      set({ snapshot: snap });
      return;
    }
    // a new case: forget the old findings and selection, keep the analyst's view choices
    const problems: Record<string, Problem[]> = {};
    for (const f of snap.files) if (f.firstProblems.length) problems[f.id] = f.firstProblems.slice(0, PROBLEMS_PER_FILE);
    set({
      snapshot: snap,
      problems,
      findings: [],
      findingById: new FindingLookup([]),
      revision: 0,
      selectedId: null,
      marked: new Set(),
      expandedGroups: new Set(),
      fpFindingId: null,
      view: 'findings',
    });
  },

  setFindings: (caseId, revision, findings) => {
    const s = get();
    if (s.snapshot && s.snapshot.caseId !== caseId) return;
    if (revision < s.revision) return;
    const byId = new FindingLookup(findings);
    const marked = s.marked.size ? new Set([...s.marked].filter((id) => byId.has(id))) : s.marked;
    set({ findings, findingById: byId, revision, marked });
  },

  setBaseline: (baseline) => set({ baseline }),
  setView: (view) => set({ view }),
  select: (selectedId) => set({ selectedId }),
  toggleMarked: (id) => {
    const marked = new Set(get().marked);
    if (marked.has(id)) marked.delete(id);
    else marked.add(id);
    set({ marked });
  },
  clearMarked: () => set({ marked: new Set() }),
  setFilters: (patch) => set({ filters: { ...get().filters, ...patch } }),
  resetFilters: () => set({ filters: { ...EMPTY_FILTERS, showBaselined: get().filters.showBaselined } }),
  setSort: (sort) => set({ sort }),
  setGrouped: (grouped) => set({ grouped }),
  toggleGroup: (key) => {
    const expandedGroups = new Set(get().expandedGroups);
    if (expandedGroups.has(key)) expandedGroups.delete(key);
    else expandedGroups.add(key);
    set({ expandedGroups });
  },
  setColumnVisible: (id, visible) => {
    const columnVisibility = { ...get().columnVisibility, [id]: visible };
    if (typeof localStorage !== 'undefined') localStorage.setItem(COLUMNS_KEY, JSON.stringify(columnVisibility));
    set({ columnVisibility });
  },
  openFalsePositive: (fpFindingId) => set({ fpFindingId }),
  setTheme: (theme) => {
    if (typeof localStorage !== 'undefined') {
      if (theme === 'system') localStorage.removeItem(THEME_KEY);
      else localStorage.setItem(THEME_KEY, theme);
    }
    set({ theme });
  },
  setSettings: (settings) => set({ settings }),
  openSettings: (settingsOpen) => set({ settingsOpen }),
  setError: (error) => set({ error }),
}));
