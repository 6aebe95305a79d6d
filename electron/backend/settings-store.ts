// The app settings (Sigma rules folder, worker count) in the data folder, written atomically.
// A settings file that does not validate is ignored with a warning and the defaults are used; it
// is only rewritten when the user changes a setting.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Result, Settings } from '../../shared/api';
import { fail, ok } from '../../shared/api';
import { writeFileAtomic } from './atomic-write';

const schema = z.object({
  sigmaRulesFolder: z.string().max(32_768).nullable(),
  workers: z.number().int().min(0).max(64),
});

export class SettingsStore {
  private constructor(
    private readonly path: string,
    private current: Settings,
  ) {}

  static async open(dataDir: string, defaults: Partial<Settings> = {}): Promise<SettingsStore> {
    const path = join(dataDir, 'settings.json');
    let current: Settings = { sigmaRulesFolder: null, workers: 0, ...defaults };
    try {
      const r = schema.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (r.success) current = { ...r.data, workers: defaults.workers || r.data.workers };
      else console.error(`runkey-hunter: ignoring invalid settings file ${path}`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') console.error(`runkey-hunter: ignoring settings file ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return new SettingsStore(path, current);
  }

  get(): Settings {
    return { ...this.current };
  }

  async update(patch: Partial<Settings>): Promise<Result<Settings>> {
    const next: Settings = {
      sigmaRulesFolder: patch.sigmaRulesFolder !== undefined ? patch.sigmaRulesFolder : this.current.sigmaRulesFolder,
      workers: patch.workers ?? this.current.workers,
    };
    try {
      await writeFileAtomic(this.path, JSON.stringify(next, null, 2) + '\n');
    } catch (e) {
      return fail('IO', `cannot write settings: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.current = next;
    return ok(this.get());
  }
}
