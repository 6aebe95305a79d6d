// The app settings (Sigma rules folder, worker count) in the data folder, written atomically.
// A settings file that does not validate is ignored with a warning and the defaults are used; it
// is only rewritten when the user changes a setting.
//
// Several processes may share the data folder: an update is one read-modify-write under the
// settings lock (file-lock.ts) that re-reads the file and applies only the fields the patch names,
// so another process's change to another field is kept. It lands or is refused (BUSY, IO); never
// acknowledged and dropped. A worker count given at start (`defaults.workers`, e.g. --workers)
// overrides the file for this run only and is not written unless the patch sets it.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Result, Settings } from '../../shared/api';
import { fail, ok } from '../../shared/api';
import { writeFileAtomic } from './atomic-write';
import { prepareDataDir } from './data-dir';
import { LockBusyError, LockLostError, withFileLock, type LockOptions } from './file-lock';

export const SETTINGS_FILE = 'settings.json';
export const SETTINGS_LOCK_FILE = 'settings.json.lock';

const schema = z.object({
  sigmaRulesFolder: z.string().max(32_768).nullable(),
  workers: z.number().int().min(0).max(64),
});

type Stored = Pick<Settings, 'sigmaRulesFolder' | 'workers'>;

export class SettingsStore {
  private constructor(
    private readonly path: string,
    private readonly lockPath: string,
    private readonly defaults: Stored,
    private workersOverride: number,
    private current: Settings,
    private readonly lockOptions: LockOptions,
  ) {}

  static async open(dataDir: string, defaults: Partial<Settings> = {}, opts: { lock?: LockOptions } = {}): Promise<SettingsStore> {
    await prepareDataDir(dataDir);
    const path = join(dataDir, SETTINGS_FILE);
    const base: Stored = { sigmaRulesFolder: defaults.sigmaRulesFolder ?? null, workers: defaults.workers ?? 0 };
    const store = new SettingsStore(path, join(dataDir, SETTINGS_LOCK_FILE), base, defaults.workers ?? 0, base, opts.lock ?? {});
    store.current = store.view((await store.readStored(true)) ?? base);
    return store;
  }

  /** The file's settings, or undefined when it is missing or invalid (then the defaults apply). */
  private async readStored(warn: boolean): Promise<Stored | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      if (warn) console.error(`runkey-hunter: ignoring settings file ${this.path}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      if (warn) console.error(`runkey-hunter: ignoring settings file ${this.path}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    const r = schema.safeParse(json);
    if (r.success) return r.data;
    if (warn) console.error(`runkey-hunter: ignoring invalid settings file ${this.path}`);
    return undefined;
  }

  private view(stored: Stored): Settings {
    return { ...stored, workers: this.workersOverride || stored.workers };
  }

  get(): Settings {
    return { ...this.current };
  }

  async update(patch: Partial<Settings>): Promise<Result<Settings>> {
    try {
      return await withFileLock(
        this.lockPath,
        async (lease): Promise<Result<Settings>> => {
          const onDisk = (await this.readStored(false)) ?? this.defaults;
          const next: Stored = {
            sigmaRulesFolder: patch.sigmaRulesFolder !== undefined ? patch.sigmaRulesFolder : onDisk.sigmaRulesFolder,
            workers: patch.workers ?? onDisk.workers,
          };
          await lease.assertHeld();
          await writeFileAtomic(this.path, JSON.stringify(next, null, 2) + '\n');
          // a worker count set now replaces the start-up override for the rest of the run
          if (patch.workers !== undefined) this.workersOverride = 0;
          this.current = this.view(next);
          return ok(this.get());
        },
        this.lockOptions,
      );
    } catch (e) {
      if (e instanceof LockBusyError || e instanceof LockLostError) return fail('BUSY', `the settings were not changed: ${e.message}`);
      return fail('IO', `cannot write settings: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
