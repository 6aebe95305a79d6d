// The analyst's baseline file in the app's data folder. Loaded once and validated with the
// baseline schema; a file that does not parse or validate is moved aside to
// `baseline.corrupt-<time>.json` and reported (never silently replaced or overwritten). Every
// change is written atomically (temp + fsync + rename). Import parses and validates text the same
// way before anything is changed.

import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { BaselineEntry, BaselineEntryInput, BaselineState, Result } from '../../shared/api';
import { fail, ok } from '../../shared/api';
import { parseBaselineText, serializeBaseline, parseEntryInput } from './baseline-codec';
import { BUILTIN_BASELINE } from '../../shared/detect/baseline';
import { writeFileAtomic, type AtomicWriteHooks } from './atomic-write';

export const BASELINE_FILE = 'baseline.json';

export class BaselineStore {
  private entries: BaselineEntry[] = [];
  private loadProblem?: BaselineState['loadProblem'];

  private constructor(
    readonly path: string,
    private readonly builtin: BaselineState['builtin'],
    private readonly hooks: AtomicWriteHooks,
  ) {}

  static async open(dataDir: string, opts: { hooks?: AtomicWriteHooks } = {}): Promise<BaselineStore> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const builtin = BUILTIN_BASELINE.map((b) => ({ id: b.id, label: b.label, locations: [...b.locations] }));
    const store = new BaselineStore(join(dataDir, BASELINE_FILE), builtin, opts.hooks ?? {});
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return; // no baseline yet: empty
      this.loadProblem = { code: 'UNREADABLE', message: `cannot read ${this.path}: ${code ?? String(e)}` };
      return;
    }
    const parsed = parseBaselineText(text);
    if (parsed.ok) {
      this.entries = parsed.value;
      return;
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const movedTo = join(this.path, '..', `baseline.corrupt-${stamp}.json`);
    await rename(this.path, movedTo);
    this.loadProblem = { code: 'CORRUPT_MOVED_ASIDE', message: `the baseline file was invalid (${parsed.error.message}); it was kept as ${movedTo}`, movedTo };
  }

  state(): BaselineState {
    const s: BaselineState = { entries: this.entries.map((e) => ({ ...e })), builtin: this.builtin, path: this.path };
    if (this.loadProblem) s.loadProblem = this.loadProblem;
    return s;
  }

  list(): readonly BaselineEntry[] {
    return this.entries;
  }

  private async commit(next: BaselineEntry[]): Promise<Result<BaselineState>> {
    try {
      await writeFileAtomic(this.path, serializeBaseline(next), this.hooks);
    } catch (e) {
      return fail('IO', `cannot write the baseline: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.entries = next;
    return ok(this.state());
  }

  async add(input: BaselineEntryInput): Promise<Result<BaselineState>> {
    const entry = parseEntryInput(input);
    if (!entry.ok) return entry;
    const id = entry.value.id ?? randomUUID();
    if (this.entries.some((e) => e.id === id)) return fail('BAD_REQUEST', `a baseline entry ${id} exists already`);
    return this.commit([...this.entries, { ...entry.value, id, date: entry.value.date || new Date().toISOString() }]);
  }

  async update(id: string, input: BaselineEntryInput): Promise<Result<BaselineState>> {
    const i = this.entries.findIndex((e) => e.id === id);
    if (i < 0) return fail('NOT_FOUND', `no baseline entry ${id}`);
    const entry = parseEntryInput(input);
    if (!entry.ok) return entry;
    const next = [...this.entries];
    next[i] = { ...entry.value, id };
    return this.commit(next);
  }

  async remove(id: string): Promise<Result<BaselineState>> {
    if (!this.entries.some((e) => e.id === id)) return fail('NOT_FOUND', `no baseline entry ${id}`);
    return this.commit(this.entries.filter((e) => e.id !== id));
  }

  async import(text: string, mode: 'merge' | 'replace'): Promise<Result<BaselineState & { imported: number }>> {
    const parsed = parseBaselineText(text);
    if (!parsed.ok) return parsed;
    let next: BaselineEntry[];
    if (mode === 'replace') next = parsed.value;
    else {
      const byId = new Map(this.entries.map((e) => [e.id, e]));
      for (const e of parsed.value) byId.set(e.id, e);
      next = [...byId.values()];
    }
    const r = await this.commit(next);
    return r.ok ? ok({ ...r.value, imported: parsed.value.length }) : r;
  }

  exportText(): string {
    return serializeBaseline(this.entries);
  }
}
