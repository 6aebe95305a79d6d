// Generated shortcuts (shared/generator/lnk-writer, seeded) read back field for field: what the
// writer put in every structure is what parseLnk returns, with no problems.
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../shared/generator/prng';
import { randomLnkSpec, shortName, writeLnk, type LnkSpec } from '../../../shared/generator/lnk-writer';
import { parseLnk } from '../../../shared/lnk/lnk';
import type { FileEntryItem } from '../../../shared/lnk/shell-item';

const SEED = 20261208;
const COUNT = 300;

/** The ISO form the reader gives: always 7 fractional digits. */
const iso7 = (t: string | undefined): string | undefined => t?.replace(/(\.\d+)?Z$/, (m) => (m === 'Z' ? '.0000000Z' : m.slice(0, -1).padEnd(8, '0') + 'Z'));

function expectedTarget(spec: LnkSpec): string | undefined {
  if (spec.linkInfo?.volume) return spec.target;
  if (spec.linkInfo?.network) return `${spec.linkInfo.network.netName}\\${spec.linkInfo.network.suffix}`;
  if (spec.idList) return spec.target;
  return spec.environmentTarget;
}

function checkRoundTrip(spec: LnkSpec, i: number): void {
  const bytes = writeLnk(spec);
  const lnk = parseLnk(bytes, `gen-${i}.lnk`);
  const ctx = `spec #${i} (seed ${SEED})`;
  expect(lnk.problems, ctx).toEqual([]);
  expect(lnk.isShellLink, ctx).toBe(true);
  expect(lnk.target, ctx).toBe(expectedTarget(spec));
  expect(lnk.arguments, ctx).toBe(spec.arguments);
  expect(lnk.workingDir, ctx).toBe(spec.workingDir);
  expect(lnk.iconLocation, ctx).toBe(spec.iconLocation);
  expect(lnk.description, ctx).toBe(spec.description);
  expect(lnk.relativePath, ctx).toBe(spec.relativePath);
  expect(lnk.environmentTarget, ctx).toBe(spec.environmentTarget);
  expect(lnk.times, ctx).toEqual({ created: iso7(spec.times.created), accessed: iso7(spec.times.accessed), modified: iso7(spec.times.modified) });
  expect(lnk.size, ctx).toBe(spec.fileSize);
  expect(lnk.iconIndex, ctx).toBe(spec.iconIndex);
  expect(lnk.header?.showCommand, ctx).toBe(spec.showCommand);
  expect(lnk.header?.fileAttributes, ctx).toBe(spec.fileAttributes);
  expect(lnk.hotKey?.key, ctx).toBe(spec.hotKey & 0xff);
  expect(lnk.hotKey?.modifiers, ctx).toBe(spec.hotKey >>> 8);
  expect(lnk.header?.flagNames.includes('IsUnicode'), ctx).toBe(spec.unicode);
  // LinkInfo
  if (spec.linkInfo?.volume) {
    const v = spec.linkInfo.volume;
    expect(lnk.volume, ctx).toMatchObject({ driveType: v.driveType, serialNumber: v.serialNumber, label: v.label, driveTypeName: 'DRIVE_FIXED' });
    expect(lnk.volume?.serial.replace('-', ''), ctx).toBe(v.serialNumber.toString(16).toUpperCase().padStart(8, '0'));
    expect(lnk.linkInfo?.localBasePath, ctx).toBe(spec.target);
  } else expect(lnk.volume, ctx).toBeUndefined();
  if (spec.linkInfo?.network) {
    const n = spec.linkInfo.network;
    expect(lnk.linkInfo?.network, ctx).toMatchObject({ netName: n.netName, deviceName: n.deviceName, providerType: 0x20000 });
    expect(lnk.linkInfo?.commonPathSuffix, ctx).toBe(n.suffix);
  }
  if (!spec.linkInfo) expect(lnk.linkInfo, ctx).toBeUndefined();
  // IDList: root, volume, one file entry per component, each with its short and long name
  if (spec.idList) {
    const parts = spec.target.slice(3).split('\\');
    const items = lnk.idList?.items ?? [];
    expect(items.map((x) => x.kind), ctx).toEqual(['root', 'volume', ...parts.map(() => 'file')]);
    expect(items[0], ctx).toMatchObject({ kind: 'root', folder: 'My Computer' });
    expect(items[1], ctx).toMatchObject({ kind: 'volume', drive: 'C:\\' });
    const files = items.slice(2) as FileEntryItem[];
    expect(files.map((f) => f.longName), ctx).toEqual(parts);
    expect(files.map((f) => f.shortName), ctx).toEqual(parts.map(shortName));
    expect(files.map((f) => f.isDirectory), ctx).toEqual(parts.map((_, k) => k < parts.length - 1));
    for (const f of files) expect([f.modified, f.created, f.accessed], ctx).toEqual([spec.itemTime, spec.itemTime, spec.itemTime]);
    expect(files[files.length - 1].fileSize, ctx).toBe(spec.fileSize);
    expect(lnk.idList?.path, ctx).toBe(spec.target);
  } else expect(lnk.idList, ctx).toBeUndefined();
  // ExtraData
  if (spec.tracker) {
    const t = lnk.extra.tracker;
    expect(lnk.machineId, ctx).toBe(spec.tracker.machineId);
    expect(t?.droidVolume.guid, ctx).toBe(spec.tracker.droidVolume);
    expect(t?.droidFile.guid, ctx).toBe(spec.tracker.droidFile);
    expect(t?.birthDroidVolume.guid, ctx).toBe(spec.tracker.birthDroidVolume);
    expect(t?.birthDroidFile.guid, ctx).toBe(spec.tracker.birthDroidFile);
    // version-4 volume ids carry no time; version-1 file ids carry the MAC they were written with
    expect(t?.droidVolume.time, ctx).toBeUndefined();
    expect(t?.droidFile.mac?.replace(/:/g, ''), ctx).toBe(spec.tracker.droidFile.slice(-12));
    expect(t?.droidFile.time, ctx).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
  } else expect(lnk.machineId, ctx).toBeUndefined();
  expect(lnk.extra.knownFolder, ctx).toEqual(spec.knownFolder && { id: spec.knownFolder.guid, name: 'ProgramFiles', offset: spec.knownFolder.offset });
  expect(lnk.extra.specialFolder, ctx).toEqual(spec.specialFolder && { id: spec.specialFolder.id, name: 'CSIDL_PROGRAM_FILES', offset: spec.specialFolder.offset });
  if (spec.propertyStore) {
    expect(lnk.extra.propertyStores, ctx).toEqual([
      { formatId: spec.propertyStore.formatId, properties: spec.propertyStore.properties.map((p) => ({ id: p.id, type: 0x1f, value: p.value })) },
    ]);
  }
  const unknown = lnk.extra.blocks.filter((b) => b.name.startsWith('unknown'));
  expect(unknown.map((b) => b.signature), ctx).toEqual((spec.rawBlocks ?? []).map((b) => b.signature));
}

describe('parseLnk on generated shortcuts', () => {
  it(`reads back every field of ${COUNT} seeded shortcuts (seed ${SEED})`, () => {
    const rng = new Prng(SEED);
    const seen = { unicode: 0, ansi: 0, network: 0, noLinkInfo: 0, noIdList: 0, tracker: 0, env: 0, store: 0, unknown: 0 };
    for (let i = 0; i < COUNT; i++) {
      const spec = randomLnkSpec(rng);
      checkRoundTrip(spec, i);
      seen[spec.unicode ? 'unicode' : 'ansi']++;
      if (spec.linkInfo?.network) seen.network++;
      if (!spec.linkInfo) seen.noLinkInfo++;
      if (!spec.idList) seen.noIdList++;
      if (spec.tracker) seen.tracker++;
      if (spec.environmentTarget) seen.env++;
      if (spec.propertyStore) seen.store++;
      if (spec.rawBlocks) seen.unknown++;
    }
    // the seed exercises every variant many times
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(10);
  });

  it('writes the same bytes for the same seed', () => {
    const a = writeLnk(randomLnkSpec(new Prng(SEED)));
    const b = writeLnk(randomLnkSpec(new Prng(SEED)));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  const base: LnkSpec = {
    target: 'C:\\Users\\Public\\Libraries\\upd.exe',
    unicode: true,
    idList: true,
    linkInfo: { volume: { driveType: 3, serialNumber: 0x1234abcd, label: 'OS' } },
    times: { created: '2024-03-01T10:00:00.1234567Z', accessed: '2024-03-02T10:00:00Z', modified: '2024-03-01T11:00:00.5Z' },
    fileSize: 4096,
    fileAttributes: 0x20,
    iconIndex: -3,
    showCommand: 7,
    hotKey: 0x0300 | 0x75, // Ctrl+Shift+F6
    itemTime: '2024-03-01T09:58:30',
  };

  it('keeps characters outside Latin-1 in Unicode strings and names', () => {
    const target = 'C:\\Users\\Пётр\\AppData\\更新.exe';
    const lnk = parseLnk(writeLnk({ ...base, target, arguments: '/q «ж» 🙂', description: 'Служба', workingDir: 'C:\\Users\\Пётр' }), 'u.lnk');
    expect(lnk.problems).toEqual([]);
    expect([lnk.target, lnk.arguments, lnk.description, lnk.workingDir]).toEqual([target, '/q «ж» 🙂', 'Служба', 'C:\\Users\\Пётр']);
    expect(lnk.idList?.path).toBe(target);
  });

  it('decodes ANSI strings as Windows-1252 when IsUnicode is clear', () => {
    const lnk = parseLnk(writeLnk({ ...base, unicode: false, arguments: '-name café /x', workingDir: 'C:\\Programme\\Zürich' }), 'a.lnk');
    expect(lnk.problems).toEqual([]);
    expect(lnk.header?.flagNames).not.toContain('IsUnicode');
    expect([lnk.arguments, lnk.workingDir]).toEqual(['-name café /x', 'C:\\Programme\\Zürich']);
  });

  it('rebuilds the target from the IDList when there is no LinkInfo', () => {
    const lnk = parseLnk(writeLnk({ ...base, linkInfo: undefined }), 'i.lnk');
    expect(lnk.problems).toEqual([]);
    expect([lnk.target, lnk.targetSource]).toEqual([base.target, 'id-list']);
  });

  it('steps over LinkInfo without using it when ForceNoLinkInfo is set', () => {
    const bytes = writeLnk({ ...base, arguments: '/min' });
    bytes[21] |= 0x01; // LinkFlags bit 8
    const lnk = parseLnk(bytes, 'f.lnk');
    expect(lnk.problems).toEqual([]);
    expect([lnk.linkInfo, lnk.target, lnk.targetSource, lnk.arguments]).toEqual([undefined, base.target, 'id-list', '/min']);
  });

  it('falls back to the environment block target when neither LinkInfo nor IDList is there', () => {
    const lnk = parseLnk(writeLnk({ ...base, linkInfo: undefined, idList: false, environmentTarget: '%APPDATA%\\x\\run.exe' }), 'e.lnk');
    expect(lnk.problems).toEqual([]);
    expect([lnk.target, lnk.targetSource, lnk.environmentTarget]).toEqual(['%APPDATA%\\x\\run.exe', 'environment', '%APPDATA%\\x\\run.exe']);
  });

  it('names the header fields: show command, hot key, signed icon index, attributes', () => {
    const lnk = parseLnk(writeLnk(base), 'h.lnk');
    expect(lnk.showCommand).toBe('SW_SHOWMINNOACTIVE');
    expect(lnk.hotKey?.text).toBe('Ctrl+Shift+F6');
    expect(lnk.iconIndex).toBe(-3);
    expect(lnk.header?.attributeNames).toEqual(['ARCHIVE']);
    expect(lnk.times).toEqual({ created: '2024-03-01T10:00:00.1234567Z', accessed: '2024-03-02T10:00:00.0000000Z', modified: '2024-03-01T11:00:00.5000000Z' });
  });
});
