// Test helpers for the back half: a backend in a private temp data folder with its pushed events
// recorded, and file fingerprints to prove evidence is left byte-identical.

import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend, type BackendOptions } from '../../../electron/backend/backend';
import type { BackendEvents, EventName } from '../../../shared/api';
import { sha256File } from '../../../electron/io/hash';
import type { Finding } from '../../../shared/model/finding';

export interface Recorded {
  name: EventName;
  at: number;
  payload: BackendEvents[EventName];
}

export interface TestBackend {
  backend: Backend;
  events: Recorded[];
  dataDir: string;
  of<E extends EventName>(name: E): BackendEvents[E][];
  cleanup(): Promise<void>;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `rk-${prefix}-`));
}

export async function testBackend(opts: Partial<BackendOptions> = {}): Promise<TestBackend> {
  const dataDir = opts.dataDir ?? (await tempDir('data'));
  const backend = await createBackend({ host: 'browser', demoDir: join(dataDir, 'no-demo'), workers: 2, ...opts, dataDir });
  const events: Recorded[] = [];
  backend.subscribe((name, payload) => events.push({ name, at: Date.now(), payload }));
  return {
    backend,
    events,
    dataDir,
    of<E extends EventName>(name: E) {
      return events.filter((e) => e.name === name).map((e) => e.payload as BackendEvents[E]);
    },
    async cleanup() {
      await backend.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Names, sizes, mtimes and SHA-256 of every file in a folder (not recursive). */
export async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const p = join(dir, name);
    const s = await stat(p);
    out[name] = s.isFile() ? `${s.size}:${s.mtimeMs}:${await sha256File(p)}` : 'dir';
  }
  return out;
}

/** `rule-id|event-key` of every Sigma hit the report shows, as a reason of a finding or as a finding. */
export function reportedHits(findings: readonly Finding[]): Set<string> {
  const out = new Set<string>();
  for (const f of findings) {
    if (f.basis === 'sigma' && f.sigmaRule) out.add(`${f.sigmaRule.id}|${f.evidence.key}`);
    for (const r of f.reasons) {
      if (!r.id.startsWith('sigma:') || f.basis === 'sigma') continue;
      // a hit on the write itself, on a record of another source that corroborates it, or on a
      // process start whose command line shows the same write (folded into the finding)
      const keys = [f.evidence.key, ...(f.alsoSeenIn ?? []).map((s) => s.key), ...(f.correlation.commandLineSightings ?? []).map((l) => l.key)];
      for (const key of keys) out.add(`${r.id.slice('sigma:'.length)}|${key}`);
    }
  }
  return out;
}
