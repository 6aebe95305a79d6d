// Zips whose central directory claims the same bytes more than once: one local header listed 3 or
// 200 times, an entry whose local header lies inside another entry's data, forged entries pointing
// into a member. Each member's bytes must be read once (events never multiplied), each refused entry
// named in a warning with the archive, the member and its offset, and what the refused entries
// declare counted against the bomb limits. Archives are written by ./zip-builder from evidence made
// by the project's generator (seed in the test) and read through readEvidence as a user's file is.

import { describe, expect, it } from 'vitest';
import { generateToMemory } from '../../../shared/generator/generate';
import { readBytes, utf8, type ReadResult } from '../readers/read-helpers';
import { centralDirectory, concat, listedTimes, localMember, overlappingPair, zipWithDirectory } from './zip-builder';

const SEED = 2323;
const evtxFiles = generateToMemory({ scenario: 'mixed', seed: SEED, hosts: 1, events: 120, format: 'evtx' }).files;
const SYSMON = [...evtxFiles].find(([n]) => n.endsWith('-Sysmon.evtx'))?.[1] as Uint8Array;
const NDJSON = generateToMemory({ scenario: 'mixed', seed: SEED, hosts: 1, events: 60, format: 'ndjson' }).files.get('events.ndjson') as Uint8Array;

const RUN = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\X';
const lines = (from: number, n: number) =>
  utf8(Array.from({ length: n }, (_, i) => JSON.stringify({ EventID: 13, Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'H', RecordNumber: from + i, TargetObject: RUN })).join('\n') + '\n');

const codes = (r: ReadResult) => r.problems.map((p) => p.code);
const refusals = (r: ReadResult) => r.problems.filter((p) => p.code === 'BAD_ARCHIVE');

describe('zip entries that claim the same bytes again are read once', () => {
  it('has generated evidence with a known event count', async () => {
    expect(SYSMON).toBeDefined();
    const bare = await readBytes(SYSMON, 'x.evtx');
    expect(bare.problems).toEqual([]);
    expect(bare.events.length).toBeGreaterThan(100);
  });

  it('reads a member the directory lists three times once, with a warning naming each repeat', async () => {
    const bareEvtx = (await readBytes(SYSMON, 'x.evtx')).events.length;
    const bareJson = (await readBytes(NDJSON, 'x.ndjson')).events.length;
    // directory order: sysmon, events, sysmon, events, sysmon, events
    const zip = zipWithDirectory([{ name: 'logs/Sysmon.evtx', data: SYSMON }, { name: 'events.ndjson', data: NDJSON }], (p) => [...p, ...p, ...p]);
    const r = await readBytes(zip, 'dup3.zip');
    expect(r.events.filter((e) => e.ref.member === 'logs/Sysmon.evtx').length).toBe(bareEvtx);
    expect(r.events.filter((e) => e.ref.member === 'events.ndjson').length).toBe(bareJson);
    expect(r.summary.records).toBe(bareEvtx + bareJson);
    const jsonAt = localMember({ name: 'logs/Sysmon.evtx', data: SYSMON }).bytes.length;
    expect(r.problems.map((p) => [p.code, p.level, p.file, p.member, p.offset])).toEqual([
      ['BAD_ARCHIVE', 'warning', 'dup3.zip', 'logs/Sysmon.evtx', 0],
      ['BAD_ARCHIVE', 'warning', 'dup3.zip', 'logs/Sysmon.evtx', 0],
      ['BAD_ARCHIVE', 'warning', 'dup3.zip', 'events.ndjson', jsonAt],
      ['BAD_ARCHIVE', 'warning', 'dup3.zip', 'events.ndjson', jsonAt],
    ]);
  });

  it('reads a member listed 200 times once, fast, and names the archive an amplification bomb once', async () => {
    const bare = (await readBytes(NDJSON, 'x.ndjson')).events.length;
    const zip = zipWithDirectory([{ name: 'events.ndjson', data: NDJSON }], listedTimes(200));
    const t0 = Date.now();
    const r = await readBytes(zip, 'dup200.zip');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.events.length).toBe(bare);
    expect(refusals(r).length).toBe(199);
    for (const p of refusals(r)) expect(p).toMatchObject({ level: 'warning', file: 'dup200.zip', member: 'events.ndjson', offset: 0 });
    // 199 × the member's expanded size from a small archive is past the ratio limit: one ARCHIVE_LIMIT for the archive itself
    expect(199 * NDJSON.length).toBeGreaterThan(200 * zip.length);
    const limit = r.problems.filter((p) => p.code === 'ARCHIVE_LIMIT');
    expect(limit.map((p) => [p.level, p.file, p.member])).toEqual([['warning', 'dup200.zip', undefined]]);
    expect(codes(r).length).toBe(200);
  });

  it('reads the first of two entries whose byte ranges overlap and refuses the one inside it', async () => {
    const zip = overlappingPair({ name: 'outer.json', data: lines(1, 40) }, { name: 'inner.json', data: lines(1000, 25) });
    const inner = localMember({ name: 'inner.json', data: lines(1000, 25) }).bytes.length;
    const outerEnd = localMember({ name: 'outer.json', data: lines(1, 40), trailing: new Uint8Array(inner) }).bytes.length;
    const r = await readBytes(zip, 'overlap.zip');
    expect(r.events.map((e) => e.ref.recordId)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(r.problems.map((p) => [p.code, p.level, p.file, p.member, p.offset])).toEqual([['BAD_ARCHIVE', 'warning', 'overlap.zip', 'inner.json', outerEnd - inner]]);
    expect(r.problems[0].message).toContain('outer.json');
  });

  it('counts what refused overlapping entries declare against the bomb limits (one ARCHIVE_LIMIT, not one per entry)', async () => {
    const member = localMember({ name: 'a.json', data: lines(1, 10) });
    // 50 forged entries pointing into a.json's bytes, each declaring 100 MB from a few bytes
    const forged = Array.from({ length: 50 }, (_, i) => ({ ...member.entry, name: `kernel${i}.json`, offset: 1 + i, compressedSize: 64, size: 100 * 1024 * 1024 }));
    const zip = concat([member.bytes, centralDirectory([member.entry, ...forged], member.bytes.length)]);
    const r = await readBytes(zip, 'forged.zip');
    expect(r.events.map((e) => e.ref.recordId)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(refusals(r).length).toBe(50);
    expect(r.problems.filter((p) => p.code === 'ARCHIVE_LIMIT').map((p) => p.member)).toEqual([undefined]);
    expect(codes(r).length).toBe(51);
  });

  it('does not count refused entries against the member limit', async () => {
    const members = [1, 2, 3].map((i) => ({ name: `m${i}.json`, data: lines(i * 100, 5) }));
    const r = await readBytes(zipWithDirectory(members, listedTimes(5)), 'dup.zip', { limits: { maxMembers: 3 } });
    expect(r.events.length).toBe(15);
    expect(codes(r)).toEqual(Array.from({ length: 12 }, () => 'BAD_ARCHIVE'));
  });

  it('refuses the rest of a directory with more distinct entries than the member limit, even when they overlap and are not read', async () => {
    const member = localMember({ name: 'a.json', data: lines(1, 4) });
    const forged = Array.from({ length: 6 }, (_, i) => ({ ...member.entry, name: `in${i}.json`, offset: 1 + i }));
    const zip = concat([member.bytes, centralDirectory([member.entry, ...forged], member.bytes.length)]);
    const r = await readBytes(zip, 'many.zip', { limits: { maxMembers: 3 } });
    expect(r.events.length).toBe(4);
    // 4 distinct offsets read (one past the limit): a.json, then 3 refused overlaps; then the limit
    expect(r.problems.map((p) => [p.code, p.level])).toEqual([['BAD_ARCHIVE', 'warning'], ['BAD_ARCHIVE', 'warning'], ['BAD_ARCHIVE', 'warning'], ['ARCHIVE_LIMIT', 'error']]);
  });

  it('names the nested archive path in the warnings of a duplicated member inside an inner zip', async () => {
    const inner = zipWithDirectory([{ name: 'a.json', data: lines(1, 7) }], listedTimes(3));
    const r = await readBytes(zipWithDirectory([{ name: 'inner.zip', data: inner }]), 'outer.zip');
    expect(r.events.length).toBe(7);
    expect(r.problems.map((p) => [p.code, p.file, p.member])).toEqual([
      ['BAD_ARCHIVE', 'outer.zip', 'inner.zip!a.json'],
      ['BAD_ARCHIVE', 'outer.zip', 'inner.zip!a.json'],
    ]);
  });

  it('warns one by one up to 256 refused entries, then once for the rest', async () => {
    const r = await readBytes(zipWithDirectory([{ name: 'a.json', data: lines(1, 2) }], listedTimes(301)), 'dup301.zip');
    expect(r.events.length).toBe(2);
    const bad = refusals(r);
    expect(bad.length).toBe(257);
    expect(bad.slice(0, 256).every((p) => p.member === 'a.json')).toBe(true);
    expect(bad[256].member).toBeUndefined();
    expect(bad[256].level).toBe('warning');
    expect(bad[256].message).toContain('44 more');
  });
});
