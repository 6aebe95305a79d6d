// Damaged shortcuts, made from a generated one by the test itself: parseLnk never throws, names
// the damage with a code and the file offset, and keeps every part before (or beside) it.
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../shared/generator/prng';
import { uuidV1, writeLnk, type LnkSpec } from '../../../shared/generator/lnk-writer';
import { parseLnk, type ParsedLnk } from '../../../shared/lnk/lnk';
import type { ProblemCode } from '../../../shared/model/problems';

const SEED = 4242;

const FULL: LnkSpec = {
  target: 'C:\\Users\\alice\\AppData\\Roaming\\Contoso\\sync.exe',
  unicode: true,
  idList: true,
  linkInfo: { volume: { driveType: 3, serialNumber: 0xdeadbeef, label: 'Windows' } },
  description: 'Contoso sync',
  relativePath: '..\\..\\..\\AppData\\Roaming\\Contoso\\sync.exe',
  workingDir: 'C:\\Users\\alice\\AppData\\Roaming\\Contoso',
  arguments: '-hidden -enc SQBFAFgA',
  iconLocation: '%SystemRoot%\\System32\\shell32.dll',
  times: { created: '2024-06-01T08:00:00.1000000Z', accessed: '2024-06-03T08:00:00.3000000Z', modified: '2024-06-02T08:00:00.2000000Z' },
  fileSize: 123456,
  fileAttributes: 0x20,
  iconIndex: 1,
  showCommand: 7,
  hotKey: 0,
  environmentTarget: '%APPDATA%\\Contoso\\sync.exe',
  tracker: {
    machineId: 'ws-0042',
    droidVolume: '5F1B9E2A-3C4D-4E5F-8A6B-7C8D9E0F1A2B',
    droidFile: uuidV1('2024-06-01T07:59:59.0000000Z', '00:0c:29:ab:cd:ef', 77),
    birthDroidVolume: '5F1B9E2A-3C4D-4E5F-8A6B-7C8D9E0F1A2B',
    birthDroidFile: uuidV1('2024-06-01T07:59:59.0000000Z', '00:0c:29:ab:cd:ef', 77),
  },
  specialFolder: { id: 0x1a, offset: 20 },
  knownFolder: { guid: '3EB685DB-65F9-4CF6-A03A-E3EF65729F3D', offset: 20 },
  propertyStore: { formatId: 'B725F130-47EF-101A-A5F1-02608C9EEBAC', properties: [{ id: 10, value: 'sync.exe' }] },
  rawBlocks: [{ signature: 0xa00000ff, payload: Uint8Array.of(9, 9, 9, 9) }],
  itemTime: '2024-06-01T07:59:58',
};

const good = writeLnk(FULL);
const ref = parseLnk(good, 'full.lnk');

const u16At = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
const u32At = (b: Uint8Array, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const put16 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
};
const put32 = (b: Uint8Array, o: number, v: number): void => {
  put16(b, o, v & 0xffff);
  put16(b, o + 2, v >>> 16);
};

/** Where each section of the good file starts. */
const ID_LIST = 76;
const LINK_INFO = ID_LIST + 2 + u16At(good, ID_LIST);
const STRINGS = LINK_INFO + u32At(good, LINK_INFO);
const EXTRA = ref.extra.blocks[0].offset;

function damaged(edit: (b: Uint8Array) => void): ParsedLnk {
  const b = good.slice();
  edit(b);
  return parseLnk(b, 'bad.lnk');
}
const codes = (l: ParsedLnk): ProblemCode[] => l.problems.map((p) => p.code);

describe('parseLnk on damaged shortcuts', () => {
  it('the reference shortcut is clean and has every section', () => {
    expect(ref.problems).toEqual([]);
    expect(ref.extra.blocks.map((b) => b.name)).toEqual([
      'EnvironmentVariableDataBlock', 'TrackerDataBlock', 'SpecialFolderDataBlock', 'KnownFolderDataBlock', 'PropertyStoreDataBlock', 'unknown block 0xa00000ff',
    ]);
    expect([ID_LIST < LINK_INFO, LINK_INFO < STRINGS, STRINGS < EXTRA]).toEqual([true, true, true]);
  });

  it(`keeps what lies before the cut when truncated at every offset (${good.length} cuts)`, () => {
    const allowed = new Set<ProblemCode>(['TRUNCATED', 'BAD_STRING', 'BAD_VALUE', 'BAD_HEADER']);
    const t0 = Date.now();
    for (let cut = 0; cut < good.length; cut++) {
      const lnk = parseLnk(good.subarray(0, cut), 'cut.lnk');
      const at = `cut at ${cut}`;
      expect(lnk.problems.length, at).toBeGreaterThan(0);
      for (const p of lnk.problems) {
        expect(allowed.has(p.code), `${at}: ${p.code}`).toBe(true);
        expect(p.offset, at).toBeGreaterThanOrEqual(0);
        expect(p.offset, at).toBeLessThanOrEqual(cut);
        expect(p.file).toBe('cut.lnk');
      }
      // the damage is reported at or after the start of the section that was cut
      const first = Math.min(...lnk.problems.map((p) => p.offset ?? 0));
      const section = cut < 76 ? 0 : cut < LINK_INFO ? ID_LIST : cut < STRINGS ? LINK_INFO : cut < EXTRA ? STRINGS : EXTRA;
      expect(first, at).toBeGreaterThanOrEqual(Math.max(0, section - 4));
      if (cut >= 76) {
        expect(lnk.isShellLink, at).toBe(true);
        expect(lnk.times, at).toEqual(ref.times);
        expect(lnk.size, at).toBe(FULL.fileSize);
      } else expect(lnk.isShellLink, at).toBe(false);
      if (cut >= STRINGS) {
        expect(lnk.target, at).toBe(FULL.target);
        expect(lnk.volume, at).toEqual(ref.volume);
      }
      if (cut >= LINK_INFO) expect(lnk.idList?.path, at).toBe(FULL.target);
      if (cut >= EXTRA) expect(lnk.strings, at).toEqual(ref.strings);
      const tracker = ref.extra.blocks[1];
      if (cut >= tracker.offset + tracker.size) expect(lnk.extra.tracker, at).toEqual(ref.extra.tracker);
    }
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('keeps an ANSI network shortcut\'s target and strings before every cut', () => {
    const spec: LnkSpec = { ...FULL, unicode: false, linkInfo: { network: { netName: '\\\\FS1\\apps', deviceName: 'Z:', suffix: 'tools\\run.exe' } } };
    const bytes = writeLnk(spec);
    const whole = parseLnk(bytes, 'net.lnk');
    expect(whole.problems).toEqual([]);
    expect(whole.target).toBe('\\\\FS1\\apps\\tools\\run.exe');
    const li = ID_LIST + 2 + u16At(bytes, ID_LIST);
    const strings = li + u32At(bytes, li);
    const extra = whole.extra.blocks[0].offset;
    for (let cut = 0; cut < bytes.length; cut++) {
      const lnk = parseLnk(bytes.subarray(0, cut), 'net.lnk');
      const at = `cut at ${cut}`;
      expect(lnk.problems.length, at).toBeGreaterThan(0);
      for (const p of lnk.problems) expect(p.offset, at).toBeLessThanOrEqual(cut);
      if (cut >= strings) expect([lnk.target, lnk.linkInfo?.network], at).toEqual([whole.target, whole.linkInfo?.network]);
      if (cut >= extra) expect(lnk.strings, at).toEqual(whole.strings);
    }
  });

  it('rejects a wrong LinkCLSID with BAD_MAGIC and reads nothing else', () => {
    const lnk = damaged((b) => (b[19] = 0x47));
    expect(codes(lnk)).toEqual(['BAD_MAGIC']);
    expect(lnk.problems[0].offset).toBe(4);
    expect([lnk.isShellLink, lnk.target, lnk.header]).toEqual([false, undefined, undefined]);
  });

  it('rejects a wrong HeaderSize with BAD_MAGIC', () => {
    const lnk = damaged((b) => put32(b, 0, 0x4d));
    expect(codes(lnk)).toEqual(['BAD_MAGIC']);
    expect(lnk.problems[0].offset).toBe(0);
  });

  it('keeps the header when IDListSize runs past the file', () => {
    const lnk = damaged((b) => put16(b, ID_LIST, 0xffff));
    expect(codes(lnk)[0]).toBe('TRUNCATED');
    expect(lnk.problems[0].offset).toBe(ID_LIST);
    expect(lnk.times).toEqual(ref.times);
    expect(lnk.linkInfo).toBeUndefined(); // nothing after the list can be placed
  });

  it('ends the IDList at an item smaller than its size field, keeps the items before and LinkInfo', () => {
    const third = ref.idList!.items[3].offset;
    const lnk = damaged((b) => put16(b, third, 1));
    expect(codes(lnk)).toEqual(['BAD_VALUE']);
    expect(lnk.problems[0].offset).toBe(third);
    expect(lnk.idList?.items.map((i) => i.kind)).toEqual(['root', 'volume', 'file']);
    expect(lnk.target).toBe(FULL.target);
    expect(lnk.strings).toEqual(ref.strings);
  });

  it('ends the IDList at an item whose size runs past the list', () => {
    const second = ref.idList!.items[2].offset;
    const lnk = damaged((b) => put16(b, second, 0xfff0));
    expect(codes(lnk)).toEqual(['TRUNCATED']);
    expect(lnk.problems[0].offset).toBe(second);
    expect(lnk.idList?.items).toHaveLength(2);
    expect([lnk.target, lnk.targetSource]).toEqual([FULL.target, 'link-info']);
  });

  it('flags a file entry name without a terminator as BAD_STRING and keeps the item', () => {
    const item = ref.idList!.items[4];
    const lnk = damaged((b) => {
      const size = u16At(b, item.offset);
      b.fill(0x41, item.offset + 14, item.offset + size); // the name and its extension block become 'AAAA...'
    });
    expect(codes(lnk)).toEqual(['BAD_STRING']);
    expect(lnk.problems[0].offset).toBe(item.offset + 14);
    expect(lnk.idList?.items).toHaveLength(ref.idList!.items.length);
    expect(lnk.target).toBe(FULL.target);
  });

  it('reads the LinkInfo bytes that are there when LinkInfoSize runs past the file, and stops after it', () => {
    const lnk = damaged((b) => put32(b, LINK_INFO, 0xffffffff));
    expect(codes(lnk)).toEqual(['TRUNCATED']);
    expect(lnk.problems[0].offset).toBe(LINK_INFO);
    expect([lnk.target, lnk.targetSource]).toEqual([FULL.target, 'link-info']);
    expect(lnk.volume).toEqual(ref.volume);
    expect(lnk.strings).toEqual({}); // StringData cannot be placed
  });

  it('reports an inconsistent LinkInfo header as BAD_HEADER', () => {
    const lnk = damaged((b) => put32(b, LINK_INFO + 4, 0x10));
    expect(codes(lnk)).toEqual(['BAD_HEADER']);
    expect(lnk.targetSource).toBe('id-list');
  });

  it('keeps the volume when the local base path offset lies outside LinkInfo', () => {
    const lnk = damaged((b) => put32(b, LINK_INFO + 28, 0x7fff0000));
    expect(codes(lnk)).toEqual(['BAD_VALUE']);
    expect(lnk.volume).toEqual(ref.volume);
    expect([lnk.target, lnk.targetSource]).toEqual([FULL.target, 'id-list']);
    expect(lnk.strings).toEqual(ref.strings); // StringData is placed by LinkInfoSize, not by the bad offset
  });

  it('keeps the base path when VolumeIDSize does not fit', () => {
    const vol = LINK_INFO + u32At(good, LINK_INFO + 12);
    const lnk = damaged((b) => put32(b, vol, 0x10000));
    expect(codes(lnk)).toEqual(['BAD_VALUE']);
    expect(lnk.problems[0].offset).toBe(vol);
    expect(lnk.volume).toBeUndefined();
    expect([lnk.target, lnk.targetSource]).toEqual([FULL.target, 'link-info']);
  });

  it('keeps the strings before one whose CountCharacters runs past the file', () => {
    // description, relative path, working dir, then the arguments
    let p = STRINGS;
    for (let i = 0; i < 3; i++) p += 2 + 2 * u16At(good, p);
    const lnk = damaged((b) => put16(b, p, 0xffff));
    expect(codes(lnk)).toEqual(['TRUNCATED']);
    expect(lnk.problems[0].offset).toBe(p);
    expect(lnk.strings).toEqual({ name: FULL.description, relativePath: FULL.relativePath, workingDir: FULL.workingDir });
    expect(lnk.target).toBe(FULL.target);
  });

  it('keeps the strings when the first extra block size runs past the file', () => {
    const lnk = damaged((b) => put32(b, EXTRA, 0x7fffffff));
    expect(codes(lnk)).toEqual(['TRUNCATED']);
    expect(lnk.problems[0].offset).toBe(EXTRA);
    expect(lnk.strings).toEqual(ref.strings);
    expect(lnk.extra.blocks).toEqual([]);
  });

  it('skips a known block with the wrong size and reads the blocks after it', () => {
    // the tracker block claims 0x64 bytes: 4 more than it has, so the next block's header is misplaced;
    // grow the file instead: insert 4 bytes after the tracker so only its size is wrong
    const tracker = ref.extra.blocks[1];
    const end = tracker.offset + tracker.size;
    const b = new Uint8Array(good.length + 4);
    b.set(good.subarray(0, end));
    b.set(good.subarray(end), end + 4);
    put32(b, tracker.offset, tracker.size + 4);
    const lnk = parseLnk(b, 'bad.lnk');
    expect(codes(lnk)).toEqual(['BAD_VALUE']);
    expect(lnk.problems[0].offset).toBe(tracker.offset);
    expect(lnk.extra.tracker).toBeUndefined();
    expect(lnk.extra.specialFolder).toEqual(ref.extra.specialFolder);
    expect(lnk.extra.knownFolder).toEqual(ref.extra.knownFolder);
  });

  it('stays linear on a file of a hundred thousand tiny extra blocks', () => {
    const n = 131_072;
    const b = new Uint8Array(EXTRA + n * 8 + 4);
    b.set(good.subarray(0, EXTRA));
    for (let i = 0; i < n; i++) {
      put32(b, EXTRA + i * 8, 8);
      put32(b, EXTRA + i * 8 + 4, 0xa0000100 + (i & 0xff));
    }
    const t0 = Date.now();
    const lnk = parseLnk(b, 'many.lnk');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(lnk.problems).toEqual([]);
    expect(lnk.extra.blocks).toHaveLength(n);
  });

  it(`never throws on 3000 seeded random corruptions (seed ${SEED})`, () => {
    const rng = new Prng(SEED);
    const t0 = Date.now();
    let withProblems = 0;
    for (let i = 0; i < 3000; i++) {
      const b = good.slice();
      const edits = rng.int(1, 8);
      for (let e = 0; e < edits; e++) {
        const at = rng.int(0, b.length - 1);
        b[at] = rng.pick([0x00, 0xff, 0x7f, 0x80, rng.int(0, 255)]);
      }
      const cut = rng.chance(0.3) ? rng.int(0, b.length) : b.length;
      const lnk = parseLnk(b.subarray(0, cut), 'fuzz.lnk');
      expect(codes(lnk)).not.toContain('INTERNAL');
      for (const p of lnk.problems) if (p.offset !== undefined) expect(p.offset).toBeLessThanOrEqual(cut);
      if (lnk.problems.length) withProblems++;
    }
    expect(withProblems).toBeGreaterThan(300);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
