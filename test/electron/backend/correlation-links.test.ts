// Correlation that needs more than process / file / deletion events, through the REAL worker pool
// on generated evidence: a key created in regedit and renamed into Policies\Explorer\Run links its
// creation (the workers' keyCreations reach the case stage), and finding.events shows that creation
// and the records of other sources that corroborate the write or a linked event (alsoSeenIn).

import { describe, expect, it } from 'vitest';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateToMemory } from '../../../shared/generator/generate';
import type { CorrelatedEvent } from '../../../shared/api';
import type { Finding } from '../../../shared/model/finding';
import { tempDir, testBackend, type TestBackend } from './helpers';

/** Writes the generated evidence files (never the answer key) to a temp folder. */
async function generated(scenario: string, seed: number, events?: number): Promise<{ dir: string; paths: string[] }> {
  const dir = await tempDir('gen');
  const { files } = generateToMemory({ scenario, format: 'evtx', seed, ...(events !== undefined ? { events } : {}) });
  const paths: string[] = [];
  for (const [name, bytes] of files) {
    if (!name.endsWith('.evtx')) continue;
    const p = join(dir, name);
    await writeFile(p, bytes);
    paths.push(p);
  }
  return { dir, paths };
}

async function caseFindings(t: TestBackend, paths: string[]): Promise<Finding[]> {
  await t.backend.openPaths(paths);
  await t.backend.whenIdle();
  const list = await t.backend.invoke('findings.list', {});
  if (!list.ok) throw new Error(list.error.message);
  return (list.value as { findings: Finding[] }).findings;
}

async function eventsOf(t: TestBackend, f: Finding): Promise<CorrelatedEvent[]> {
  const r = await t.backend.invoke('finding.events', { findingId: f.id });
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { events: CorrelatedEvent[] }).events;
}

describe('correlation links through the worker pool', () => {
  it('links the creation of a key renamed into Policies\\Explorer\\Run and shows it in finding.events', async () => {
    const { dir, paths } = await generated('masquerade-and-variants', 7);
    const t = await testBackend({ workers: 2, plan: { splitThreshold: 1, minChunksPerJob: 2 } });
    try {
      const findings = await caseFindings(t, paths);
      const policies = findings.filter((f) => /\\Policies\\Explorer\\Run$/i.test(f.registryKey ?? ''));
      expect(policies.length).toBeGreaterThan(0);
      const renamed = policies.find((f) => f.correlation.keyCreated?.length);
      expect(renamed, 'a Policies\\Explorer\\Run finding with correlation.keyCreated').toBeDefined();
      if (!renamed?.correlation.keyCreated) return;
      const created = renamed.correlation.keyCreated[0];
      expect(created.kind).toBe('registry');
      expect(created.time <= renamed.time).toBe(true);

      const events = await eventsOf(t, renamed);
      const ev = events.find((e) => e.role === 'key-created');
      expect(ev?.link.key).toBe(created.key);
      // the fields the case kept for the creation: the key under its first name, on the same host
      expect(String(ev?.fields?.registryKey)).toMatch(/\\Policies\\Explorer\\/i);
      expect(String(ev?.fields?.host).toLowerCase()).toBe(renamed.host.toLowerCase());
      const raw = await t.backend.invoke('record.raw', { ref: created.ref });
      expect(raw.ok).toBe(true);
    } finally {
      await t.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('carries the corroborating records of the write and of each linked event into finding.events', async () => {
    const { dir, paths } = await generated('living-off-the-land', 1, 300);
    const t = await testBackend({ workers: 2 });
    try {
      const findings = await caseFindings(t, paths);
      const corroborated = findings.filter((f) => f.alsoSeenIn?.length);
      expect(corroborated.length).toBeGreaterThan(0);
      for (const f of corroborated) {
        const events = await eventsOf(t, f);
        expect(events.find((e) => e.role === 'write')?.link.alsoSeenIn).toEqual(f.alsoSeenIn);
      }
      const linkedTwins = findings.flatMap((f) => [f.correlation.writerProcess, ...f.correlation.writerAncestors, ...f.correlation.executions]
        .filter((l) => l?.alsoSeenIn?.length).map((l) => ({ f, key: l?.key, also: l?.alsoSeenIn })));
      expect(linkedTwins.length).toBeGreaterThan(0);
      for (const { f, key, also } of linkedTwins.slice(0, 10)) {
        const events = await eventsOf(t, f);
        expect(events.find((e) => e.link.key === key && e.role !== 'write')?.link.alsoSeenIn).toEqual(also);
      }
    } finally {
      await t.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
