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

import { readFile, rename, stat } from 'node:fs/promises';
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

const same = (s: BaselineState): BaselineState => s;

/** What the file on disk holds right now. */
type OnDisk = { entries: BaselineEntry[] } | { problem: LoadProblem; entries?: undefined };

export class BaselineStore {
  private entries: BaselineEntry[] = [];
  private loadProblem?: LoadProblem;
  /** Identity of the file as last read or written here (inode, size, mtime): tells refresh() whether another process changed it. */
  private seen = '';

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
      const disk = await withFileLock(
        this.lockPath,
        async () => {
          const d = await this.readDisk();
          this.seen = await this.fileIdentity();
          return d;
        },
        this.lockOptions,
      );
      if (disk.entries) this.entries = disk.entries;
      else this.loadProblem = disk.problem;
    } catch (e) {
      if (!(e instanceof LockBusyError)) throw e;
      await this.loadWithoutLock(e);
    }
  }

  /**
   * The lock stayed held past the wait: the file is read as it is (writes are atomic renames, so
   * it is whole) but not moved aside when invalid, since that needs the lock; a change made later
   * takes the lock again.
   */
  private async loadWithoutLock(busy: LockBusyError): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.loadProblem = { code: 'UNREADABLE', message: `cannot read ${this.path}: ${code ?? String(e)}` };
      return;
    }
    const parsed = parseBaselineText(text);
    if (parsed.ok) this.entries = parsed.value;
    else this.loadProblem = { code: 'UNREADABLE', message: `the baseline file is invalid (${parsed.error.message}) and could not be moved aside: ${busy.message}` };
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

  private async fileIdentity(): Promise<string> {
    try {
      const st = await stat(this.path);
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      throw e;
    }
  }

  /**
   * Takes in another process's changes since this store last read or wrote the file (a cheap stat
   * when there are none). No lock needed: the file is only ever replaced whole. An invalid file is
   * left for the next change to move aside (under the lock). True when the entries changed.
   */
  async refresh(): Promise<boolean> {
    const now = await this.fileIdentity();
    if (now === this.seen) return false;
    let text: string | undefined;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return false; // unreadable now: keep what we know; a change will report it
    }
    const parsed = text === undefined ? ok<BaselineEntry[]>([]) : parseBaselineText(text);
    if (!parsed.ok) return false;
    this.seen = now;
    this.entries = parsed.value;
    return true;
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
  private async change<T extends BaselineState>(change: (current: BaselineEntry[]) => Result<BaselineEntry[]>, answer: (s: BaselineState) => T): Promise<Result<T>> {
    try {
      return await withFileLock(
        this.lockPath,
        async (lease): Promise<Result<T>> => {
          const disk = await this.readDisk();
          this.seen = await this.fileIdentity();
          if (!disk.entries && disk.problem.code === 'UNREADABLE') return fail('IO', `cannot change the baseline: ${disk.problem.message}`);
          if (disk.entries) this.entries = disk.entries;
          else this.loadProblem = disk.problem;
          const next = change(this.entries);
          if (!next.ok) return next;
          await lease.assertHeld();
          await writeFileAtomic(this.path, serializeBaseline(next.value), this.hooks);
          this.seen = await this.fileIdentity();
          this.entries = next.value;
          return ok(answer(this.state()));
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
    return this.change((current) => (current.some((e) => e.id === id) ? fail('BAD_REQUEST', `a baseline entry ${id} exists already`) : ok([...current, full])), same);
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
    }, same);
  }

  async remove(id: string): Promise<Result<BaselineState>> {
    return this.change((current) => (current.some((e) => e.id === id) ? ok(current.filter((e) => e.id !== id)) : fail('NOT_FOUND', `no baseline entry ${id}`)), same);
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
