// Writing generated evidence to disk: the streamed files equal the in-memory generation byte for
// byte (EVTX header rewritten in place), the answer key lands beside them, a non-empty folder is
// refused, and the CLI command lists scenarios and rejects bad use with exit code 2.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { Command } from 'commander';
import { writeGenerated, OutputFolderNotEmptyError } from '../../../electron/generate/write-generated';
import { registerGenerateCommand } from '../../../electron/cli/generate-command';
import { generateToMemory } from '../../../shared/generator/generate';
import { SCENARIOS } from '../../../shared/generator/scenarios';
import type { AnswerKey } from '../../../shared/generator/answer-key';

const SEED = 8080;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'rkh-gen-out-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function runCli(args: string[]): Promise<{ out: string; err: string; code: number | string | undefined }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  const program = new Command().exitOverride();
  registerGenerateCommand(program);
  await program.parseAsync(['node', 'runkey-hunter', 'generate', ...args]);
  const code = process.exitCode;
  vi.restoreAllMocks();
  return { out, err, code };
}

describe('writeGenerated', () => {
  it('streams the same bytes as the in-memory generator and writes the answer key beside the evidence', async () => {
    const dir = tmp();
    const opts = { scenario: 'mixed', seed: SEED, hosts: 2, events: 400, format: 'evtx' as const };
    const key = await writeGenerated(opts, dir);
    const mem = generateToMemory(opts);
    expect(readdirSync(dir).sort()).toEqual([...mem.files.keys()].sort());
    for (const [name, bytes] of mem.files) expect(Buffer.compare(readFileSync(join(dir, name)), Buffer.from(bytes)), name).toBe(0);
    const onDisk = JSON.parse(readFileSync(join(dir, 'answer-key.json'), 'utf8')) as AnswerKey;
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(key)));
    for (const f of key.files) {
      const b = readFileSync(join(dir, f.file));
      expect(b.length).toBe(f.bytes);
      expect(b.subarray(0, 8).toString('latin1')).toBe('ElfFile\0');
      expect(b.readUInt32LE(124)).toBe(crc32(b.subarray(0, 120)));
    }
  });

  it('refuses a folder that already holds files unless told to overwrite', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'Security.evtx'), 'someone else\'s evidence');
    await expect(writeGenerated({ scenario: 'benign-only', seed: SEED, events: 50, format: 'csv' }, dir)).rejects.toBeInstanceOf(OutputFolderNotEmptyError);
    expect(readdirSync(dir)).toEqual(['Security.evtx']);
    await writeGenerated({ scenario: 'benign-only', seed: SEED, events: 50, format: 'csv' }, dir, { overwrite: true });
    expect(readFileSync(join(dir, 'Security.evtx'), 'utf8')).toBe('someone else\'s evidence');
    expect(readdirSync(dir)).toContain('answer-key.json');
  });
});

describe('generate command', () => {
  it('--list prints one line per scenario', async () => {
    const { out, code } = await runCli(['--list']);
    expect(code).toBeUndefined();
    const lines = out.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(SCENARIOS.map((s) => s.id));
  });

  it('writes the default mixed scenario with the given format and seed and prints the reproducing command', async () => {
    const dir = tmp();
    const { out, code } = await runCli(['--hosts', '2', '--events', '200', '--format', 'ndjson', '--seed', String(SEED), '--out', dir]);
    expect(code).toBeUndefined();
    expect(out.split('\n')[0]).toBe(`runkey-hunter generate --scenario mixed --hosts 2 --events 200 --format ndjson --seed ${SEED}`);
    expect(readdirSync(dir).sort()).toEqual(['answer-key.json', 'events.ndjson']);
  });

  it('exits 2 for an unknown scenario, a missing --out or a non-empty folder', async () => {
    expect((await runCli(['--scenario', 'nope', '--out', tmp()])).code).toBe(2);
    expect((await runCli(['--scenario', 'mixed'])).code).toBe(2);
    const dir = tmp();
    writeFileSync(join(dir, 'x.txt'), 'x');
    expect((await runCli(['--out', dir, '--events', '10'])).code).toBe(2);
  });

  it('rejects a bad --format through commander', async () => {
    await expect(runCli(['--format', 'pdf', '--out', tmp()])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });
});
