// The same seed gives byte-identical output in every format (evidence and answer key); another
// seed gives other output.

import { describe, expect, it } from 'vitest';
import { generateToMemory } from '../../../shared/generator/generate';
import type { OutputFormat } from '../../../shared/generator/scenarios';

const SEED = 31337;

function digest(files: Map<string, Uint8Array>): Map<string, string> {
  return new Map([...files].map(([n, b]) => [n, Buffer.from(b).toString('base64')]));
}

describe('determinism', () => {
  it.each(['evtx', 'xml', 'ndjson', 'csv'] as OutputFormat[])('writes byte-identical %s for the same seed', (format) => {
    const a = generateToMemory({ scenario: 'mixed', seed: SEED, hosts: 3, events: 300, format });
    const b = generateToMemory({ scenario: 'mixed', seed: SEED, hosts: 3, events: 300, format });
    expect([...a.files.keys()]).toEqual([...b.files.keys()]);
    expect(digest(a.files)).toEqual(digest(b.files));
  });

  it('writes different evidence, hosts and SIDs for a different seed', () => {
    const a = generateToMemory({ scenario: 'mixed', seed: SEED, hosts: 3, events: 300, format: 'csv' });
    const b = generateToMemory({ scenario: 'mixed', seed: SEED + 1, hosts: 3, events: 300, format: 'csv' });
    expect(a.key.hosts.map((h) => h.users[0].sid)).not.toEqual(b.key.hosts.map((h) => h.users[0].sid));
    expect(Buffer.from(a.files.get('DeviceRegistryEvents.csv') as Uint8Array).equals(Buffer.from(b.files.get('DeviceRegistryEvents.csv') as Uint8Array))).toBe(false);
  });

  it('keeps the attack stories of a scenario whatever the seed and fleet size', () => {
    for (const [seed, hosts] of [[1, 1], [2, 4], [3, 9]]) {
      const { key } = generateToMemory({ scenario: 'living-off-the-land', seed, hosts, events: 100, format: 'ndjson' });
      expect(key.stories.map((s) => s.id).sort()).toEqual(['encoded-powershell-run', 'mshta-runonce', 'rundll32-runonce', 'runonce-self-delete']);
      expect(key.hosts.length).toBe(hosts);
    }
  });
});

describe('fleet size', () => {
  it('gives every host its own name even in a large fleet', () => {
    const { key } = generateToMemory({ scenario: 'benign-only', seed: 12, hosts: 400, events: 0, format: 'csv' });
    expect(new Set(key.hosts.map((h) => h.name)).size).toBe(400);
  });
});
