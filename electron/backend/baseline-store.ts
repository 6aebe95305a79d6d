// The analyst's baseline file in the app's data folder. Loaded at open and validated with the
// baseline schema; a file that does not parse or validate is moved aside to
// `baseline.corrupt-<time>.json` and reported (never silently replaced or overwritten). Every
// change is written atomically (temp + fsync + rename). Import parses and validates text the same
// way before anything is changed.
//
// Several callers change it at once: overlapping API calls of one host, and other processes (the
// CLI, another window) on the same data folder. Every change is one read-modify-write under the
// baseline's lock (file-lock.ts): the file is re-read under the lock and the change applied to
// what is on disk, so another process's change is merged, never overwritten. A change either
// lands or is refused with an error (BUSY when the lock stays held, IO when the file cannot be
// written); it is never acknowledged and dropped. `updateEntry` replaces a whole entry: two
// updates of one entry land one after the other, the later one kept.

import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { BaselineEntry, BaselineEntryInput, BaselineState, Result } from '../../shared/api';
import { fail, ok } from '../../shared/api';
import { parseBaselineText, serializeBaseline, parseEntryInput } from './baseline-codec';
import { BUILTIN_BASELINE } from '../../shared/detect/baseline';
import { writeFileAtomic, type AtomicWriteHooks } from './atomic-write';
import { prepareDataDir } from './data-dir';
import { LockBusyError, LockLostError, withFileLock, type LockOptions } from './file-lock';

export const BASELINE_FILE = 'baseline.json';
export const BASELINE_LOCK_FILE = 'baseline.json.lock';

type LoadProblem = NonNullable<BaselineState['loadProblem']>;

/** What the file on disk holds right now. */
type OnDisk = { entries: BaselineEntry[] } | { problem: LoadProblem; entries?: undefined };

export class BaselineStore {
  private entries: BaselineEntry[] = [];
  private loadProblem?: LoadProblem;

  private constructor(
    readonly path: string,
    private readonly lockPath: string,
    private readonly builtin: BaselineState['builtin'],
    private readonly hooks: AtomicWriteHooks,
    private readonly lockOptions: LockOptions,
  ) {}

  static async open(dataDir: string, opts: { hooks?: AtomicWriteHooks; lock?: LockOptions } = {}): Promise<BaselineStore> {
    await prepareDataDir(dataDir);
    const builtin = BUILTIN_BASELINE.map((b) => ({ id: b.id, label: b.label, locations: [...b.locations] }));
    const store = new BaselineStore(join(dataDir, BASELINE_FILE), join(dataDir, BASELINE_LOCK_FILE), builtin, opts.hooks ?? {}, opts.lock ?? {});
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    try {
      const disk = await withFileLock(this.lockPath, () => this.readDisk(), this.lockOptions);
      if (disk.entries) this.entries = disk.entries;
      else this.loadProblem = disk.problem;
    } catch (e) {
      // the lock stayed held: show the file as it is (reads are atomic) and report it
      if (!(e instanceof LockBusyError)) throw e;
      const text = await readFile(this.path, 'utf8').catch((re: unknown) => ((re as NodeJS.ErrnoException).code === 'ENOENT' ? '' : Promise.reject(re)));
      const parsed = text ? parseBaselineText(text) : ok<BaselineEntry[]>([]);
      if (parsed.ok) this.entries = parsed.value;
      else this.loadProblem = { code: 'UNREADABLE', message: `${e.message}; the baseline file could not be checked` };
    }
  }

  /** Reads the file; call with the lock held (it may move a corrupt file aside). */
  private async readDisk(): Promise<OnDisk> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { entries: [] }; // no baseline yet: empty
      return { problem: { code: 'UNREADABLE', message: `cannot read ${this.path}: ${code ?? String(e)}` } };
    }
    const parsed = parseBaselineText(text);
    if (parsed.ok) return { entries: parsed.value };
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const movedTo = join(this.path, '..', `baseline.corrupt-${stamp}.json`);
    await rename(this.path, movedTo);
    return { problem: { code: 'CORRUPT_MOVED_ASIDE', message: `the baseline file was invalid (${parsed.error.message}); it was kept as ${movedTo}`, movedTo } };
  }

  state(): BaselineState {
    const s: BaselineState = { entries: this.entries.map((e) => ({ ...e })), builtin: this.builtin, path: this.path };
    if (this.loadProblem) s.loadProblem = this.loadProblem;
    return s;
  }

  list(): readonly BaselineEntry[] {
    return this.entries;
  }

  /**
   * One change: under the lock, re-reads the file and applies `change` to what it holds (or, when
   * it was corrupt and has just been moved aside, to the entries this store knew), then writes.
   */
  private async change<T extends BaselineState>(change: (current: BaselineEntry[]) => Result<BaselineEntry[]>, extra: (s: BaselineState) => T = (s) => s as T): Promise<Result<T>> {
    try {
      return await withFileLock(
        this.lockPath,
        async (lease): Promise<Result<T>> => {
          const disk = await this.readDisk();
          if (!disk.entries && disk.problem.code === 'UNREADABLE') return fail('IO', `cannot change the baseline: ${disk.problem.message}`);
          if (disk.entries) this.entries = disk.entries;
          else this.loadProblem = disk.problem;
          const next = change(this.entries);
          if (!next.ok) return next;
          await lease.assertHeld();
          await writeFileAtomic(this.path, serializeBaseline(next.value), this.hooks);
          this.entries = next.value;
          return ok(extra(this.state()));
        },
        this.lockOptions,
      );
    } catch (e) {
      if (e instanceof LockBusyError || e instanceof LockLostError) return fail('BUSY', `the baseline was not changed: ${e.message}`);
      return fail('IO', `cannot write the baseline: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async add(input: BaselineEntryInput): Promise<Result<BaselineState>> {
    const entry = parseEntryInput(input);
    if (!entry.ok) return entry;
    const id = entry.value.id ?? randomUUID();
    const full: BaselineEntry = { ...entry.value, id, date: entry.value.date || new Date().toISOString() };
    return this.change((current) => (current.some((e) => e.id === id) ? fail('BAD_REQUEST', `a baseline entry ${id} exists already`) : ok([...current, full])));
  }

  async update(id: string, input: BaselineEntryInput): Promise<Result<BaselineState>> {
    const entry = parseEntryInput(input);
    if (!entry.ok) return entry;
    return this.change((current) => {
      const i = current.findIndex((e) => e.id === id);
      if (i < 0) return fail('NOT_FOUND', `no baseline entry ${id}`);
      const next = [...current];
      next[i] = { ...entry.value, id };
      return ok(next);
    });
  }

  async remove(id: string): Promise<Result<BaselineState>> {
    return this.change((current) => (current.some((e) => e.id === id) ? ok(current.filter((e) => e.id !== id)) : fail('NOT_FOUND', `no baseline entry ${id}`)));
  }

  async import(text: string, mode: 'merge' | 'replace'): Promise<Result<BaselineState & { imported: number }>> {
    const parsed = parseBaselineText(text);
    if (!parsed.ok) return parsed;
    const imported = parsed.value;
    return this.change(
      (current) => {
        if (mode === 'replace') return ok(imported);
        const byId = new Map(current.map((e) => [e.id, e]));
        for (const e of imported) byId.set(e.id, e);
        return ok([...byId.values()]);
      },
      (s) => ({ ...s, imported: imported.length }),
    );
  }

  exportText(): string {
    return serializeBaseline(this.entries);
  }
}
