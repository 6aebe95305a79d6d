// The scan command end to end on real evidence: exit codes 0 / 1 / 2, formats, unreadable inputs
// reported and the rest scanned. Runs the command module through commander (and the real bin when
// electron/cli.ts registers scan).

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'yaml';
import { registerScanCommand } from '../../../electron/cli/scan-command';
import { runScanCaptured } from './run-scan';
import { HAVE_SAMPLES, REPO_ROOT, samplePath } from '../../samples';
import { generateToMemory } from '../../../shared/generator/generate';
import type { Finding } from '../../../shared/model/finding';

const POSITIVE = samplePath('sbousseaden_EVTX-ATTACK-SAMPLES/Persistence/evasion_persis_hidden_run_keyvalue_sysmon_13.evtx');
const NEGATIVE = samplePath('sbousseaden_EVTX-ATTACK-SAMPLES/Credential Access/Sysmon_13_Local_Admin_Password_Changed.evtx');

const run = runScanCaptured;

describe.skipIf(!HAVE_SAMPLES)('runkey-hunter scan', () => {
  it('exits 1 with a JSON report when there are findings at or above the threshold', async () => {
    const r = await run([POSITIVE]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.findings[0]).toMatchObject({ location: 'run', severity: 'critical', valueName: '' });
    expect(report.inputs[0]).toMatchObject({ format: 'evtx' });
    expect(report.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('exits 0 when nothing reaches the threshold', async () => {
    expect((await run([NEGATIVE])).code).toBe(0);
    expect((await run([POSITIVE], { minSeverity: 'critical' })).code).toBe(1);
  });

  it('exits 2 for an unreadable input but still scans the others and names the file', async () => {
    const r = await run(['/nonexistent/evidence.evtx', POSITIVE], { format: 'ndjson' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('/nonexistent/evidence.evtx');
    expect(r.err).toContain('UNREADABLE');
    expect(JSON.parse(r.out.split('\n')[0]).location).toBe('run');
  });

  it('exits 2 for a baseline that fails its schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rkh-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'runkey-hunter-baseline', version: 99, entries: [] }));
    expect((await run([POSITIVE], { baseline: bad })).code).toBe(2);
  });

  it('writes Sigma, SPL, KQL and CSV, and --out to a file', async () => {
    const sigma = await run([POSITIVE], { format: 'sigma' });
    expect((parse(sigma.out) as { logsource: { category: string } }).logsource.category).toBe('registry_set');
    expect((await run([POSITIVE], { format: 'spl' })).out).toContain('EventCode IN (12, 13, 14)');
    expect((await run([POSITIVE], { format: 'kql' })).out).toContain('DeviceRegistryEvents');
    const dir = mkdtempSync(join(tmpdir(), 'rkh-'));
    const out = join(dir, 'f.csv');
    const r = await run([POSITIVE], { format: 'csv', out });
    expect(r.out).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('taskhost.exe');
  });

  it('refuses to write its output over an evidence file', async () => {
    expect((await run([POSITIVE], { out: POSITIVE })).code).toBe(2);
  });

  it('parses its options with commander', async () => {
    const program = new Command().exitOverride();
    registerScanCommand(program);
    const prev = process.exitCode;
    await expect(program.parseAsync(['node', 'x', 'scan', POSITIVE, '--format', 'nope'])).rejects.toThrow();
    process.exitCode = prev;
  });

  const cliHasScan = readFileSync(join(REPO_ROOT, 'electron', 'cli.ts'), 'utf8').includes('registerScanCommand');
  it.skipIf(!cliHasScan)('returns 0 / 1 / 2 from the real CLI (bin/runkey-hunter.mjs)', () => {
    const bin = join(REPO_ROOT, 'bin', 'runkey-hunter.mjs');
    const exit = (args: string[]) => spawnSync(process.execPath, [bin, 'scan', ...args], { encoding: 'utf8' }).status;
    expect(exit([POSITIVE])).toBe(1);
    expect(exit([NEGATIVE])).toBe(0);
    expect(exit(['/nonexistent/x.evtx'])).toBe(2);
  });
});

describe('runkey-hunter scan on generated Sysmon + Security evidence', () => {
  it('reports each write once with the Security record as corroborating evidence; --sighting-window reaches the engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rkh-scan-'));
    const { files } = generateToMemory({ scenario: 'living-off-the-land', seed: 1, format: 'evtx', events: 300 });
    for (const [name, bytes] of files) if (name.endsWith('.evtx')) writeFileSync(join(dir, name), bytes);
    const r = await run([dir], { sightingWindow: 1.5 });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { settings: { options: Record<string, unknown> }; findings: Finding[] };
    expect(report.settings.options.sightingWindowMs).toBe(1500);
    const writes = report.findings.filter((f) => f.basis === 'registry' && f.severity !== 'informational');
    const keys = writes.map((f) => `${f.host}|${f.registryKey}|${f.valueName}|${f.value}`);
    expect(new Set(keys).size).toBe(keys.length);
    const corroborated = writes.filter((f) => f.alsoSeenIn?.some((s) => s.source === 'security' && /-Security\.evtx$/.test(s.ref.file) && s.ref.recordId !== undefined));
    expect(corroborated.length).toBeGreaterThan(0);
    expect(corroborated.every((f) => f.evidence.source === 'sysmon')).toBe(true);
  });
  it('refuses a --sighting-window that is not a number of seconds', async () => {
    const program = new Command().exitOverride();
    program.configureOutput({ writeErr: () => undefined });
    registerScanCommand(program);
    const prev = process.exitCode;
    await expect(program.parseAsync(['node', 'x', 'scan', tmpdir(), '--sighting-window', 'soon'])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    process.exitCode = prev;
  });
});
