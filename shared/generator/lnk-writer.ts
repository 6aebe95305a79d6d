// Writes Windows shortcuts (MS-SHLLINK) for generated collections and for the reader's tests:
// header, an IDList (My Computer root, volume, one file entry per path component with its 8.3
// name and a BEEF0004 v9 long name), LinkInfo with a local base path (ANSI and Unicode) or a
// network share, StringData (Unicode or ANSI), and Environment / Tracker / KnownFolder /
// SpecialFolder / PropertyStore blocks plus arbitrary extra blocks. Pure and deterministic: the
// same spec gives the same bytes; randomLnkSpec draws a spec from the generator's seeded Prng.
// ANSI strings are written as Latin-1 bytes (characters above U+00FF are the caller's mistake and
// come out as '?').

import type { Prng } from './prng';

const FILETIME_EPOCH_DIFF_100NS = 116444736000000000n;

export interface LnkVolumeSpec {
  driveType: number;
  serialNumber: number;
  label: string;
}

export interface LnkTrackerSpec {
  machineId: string;
  /** GUIDs as 'XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX'. */
  droidVolume: string;
  droidFile: string;
  birthDroidVolume: string;
  birthDroidFile: string;
}

export interface LnkSpec {
  /** Absolute target, 'C:\dir\file.exe'; the IDList and LinkInfo are built from it. */
  target: string;
  unicode: boolean;
  /** Write the IDList (root, volume, file entries). */
  idList: boolean;
  /** Write LinkInfo: a local volume and base path, or a share ('\\server\share' + suffix). */
  linkInfo?: { volume: LnkVolumeSpec; network?: undefined } | { network: { netName: string; deviceName?: string; suffix: string }; volume?: undefined };
  description?: string;
  relativePath?: string;
  workingDir?: string;
  arguments?: string;
  iconLocation?: string;
  /** ISO 8601 UTC with up to 7 fractional digits. */
  times: { created?: string; accessed?: string; modified?: string };
  fileSize: number;
  fileAttributes: number;
  iconIndex: number;
  showCommand: number;
  hotKey: number;
  environmentTarget?: string;
  tracker?: LnkTrackerSpec;
  knownFolder?: { guid: string; offset: number };
  specialFolder?: { id: number; offset: number };
  /** One PropertyStoreDataBlock with string properties of one format id. */
  propertyStore?: { formatId: string; properties: { id: number; value: string }[] };
  /** Extra blocks written verbatim before the terminal block (signature, payload after the 8-byte header). */
  rawBlocks?: { signature: number; payload: Uint8Array }[];
  /** FAT local time written into the shell items, 'YYYY-MM-DDThh:mm:ss' (even seconds). */
  itemTime: string;
}

/** A growable little-endian byte sink. */
class Sink {
  private bytes: number[] = [];
  get length(): number {
    return this.bytes.length;
  }
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.u8(v);
    this.u8(v >>> 8);
  }
  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16(v >>> 16);
  }
  putU16(at: number, v: number): void {
    this.bytes[at] = v & 0xff;
    this.bytes[at + 1] = (v >>> 8) & 0xff;
  }
  putU32(at: number, v: number): void {
    this.putU16(at, v & 0xffff);
    this.putU16(at + 2, v >>> 16);
  }
  raw(b: ArrayLike<number>): void {
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i] & 0xff);
  }
  zeros(n: number): void {
    for (let i = 0; i < n; i++) this.bytes.push(0);
  }
  ansi(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.u8(c > 0xff ? 0x3f : c);
    }
  }
  utf16(s: string): void {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** 'XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX' → the 16 bytes Windows stores (first three fields little-endian). */
export function guidBytes(guid: string): Uint8Array {
  const h = guid.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(h)) throw new Error(`not a GUID: ${guid}`);
  const b = (i: number): number => parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return Uint8Array.of(b(3), b(2), b(1), b(0), b(5), b(4), b(7), b(6), b(8), b(9), b(10), b(11), b(12), b(13), b(14), b(15));
}

/** ISO 8601 UTC → FILETIME ticks, exact to 100 ns. */
export function isoToFiletime(iso: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(iso);
  if (!m) throw new Error(`not an ISO UTC time: ${iso}`);
  const secs = BigInt(Date.parse(m[1] + 'Z') / 1000);
  return (secs * 10000000n) + BigInt((m[2] ?? '').padEnd(7, '0')) + FILETIME_EPOCH_DIFF_100NS;
}

function filetime(sink: Sink, iso: string | undefined): void {
  const t = iso === undefined ? 0n : isoToFiletime(iso);
  sink.u32(Number(t & 0xffffffffn));
  sink.u32(Number(t >> 32n));
}

/** 'YYYY-MM-DDThh:mm:ss' → FAT [date, time]. */
export function fatParts(local: string): [number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new Error(`not a local time: ${local}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return [((y - 1980) << 9) | (mo << 5) | d, (h << 11) | (mi << 5) | (s >>> 1)];
}

/** The 8.3 name Windows would give a long name without collisions (NAME~1.EXT when it does not fit). */
export function shortName(long: string): string {
  const dot = long.lastIndexOf('.');
  const base = (dot > 0 ? long.slice(0, dot) : long).replace(/[^A-Za-z0-9_$~!#%&'()@^`{}-]/g, '').toUpperCase();
  const ext = (dot > 0 ? long.slice(dot + 1) : '').replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 3);
  const fits = base.length <= 8 && base.length > 0 && long === long.toUpperCase() && !/[ .]/.test(dot > 0 ? long.slice(0, dot) : long);
  const b = fits ? base : (base.slice(0, 6) || 'FILE') + '~1';
  return ext ? `${b}.${ext}` : b;
}

const MY_COMPUTER = '20D04FE0-3AEA-1069-A2D8-08002B30309D';

function fileEntryItem(name: string, isDir: boolean, size: number, time: [number, number], seq: number): Uint8Array {
  const item = new Sink();
  const short = shortName(name);
  item.u16(0); // ItemIDSize, patched
  item.u8(isDir ? 0x31 : 0x32);
  item.u8(0);
  item.u32(isDir ? 0 : size);
  item.u16(time[0]);
  item.u16(time[1]);
  item.u16(isDir ? 0x10 : 0x20);
  item.ansi(short);
  item.u8(0);
  if (item.length & 1) item.u8(0);
  // BEEF0004 version 9 (Windows 8 and later)
  const ext = item.length;
  item.u16(0); // size, patched
  item.u16(9);
  item.u32(0xbeef0004);
  item.u16(time[0]);
  item.u16(time[1]); // created
  item.u16(time[0]);
  item.u16(time[1]); // accessed
  item.u16(0x2e); // identifier: Windows 8
  item.u16(0);
  item.u32(0x1000 + seq); // MFT entry (low 32 of 48 bits)
  item.u16(0);
  item.u16(seq + 1); // sequence number
  item.zeros(8);
  item.u16(0); // long string size: 0 (no localized name)
  item.zeros(4); // unknown (v9)
  item.zeros(4); // unknown (v8)
  item.utf16(name);
  item.u16(0);
  item.u16(ext); // the block ends with its own offset in the item
  item.putU16(ext, item.length - ext);
  const bytes = item.done();
  bytes[0] = bytes.length & 0xff;
  bytes[1] = bytes.length >>> 8;
  return bytes;
}

function writeIdList(out: Sink, spec: LnkSpec): void {
  const list = new Sink();
  // root: My Computer
  list.u16(0x14);
  list.u8(0x1f);
  list.u8(0x50);
  list.raw(guidBytes(MY_COMPUTER));
  // volume 'C:\'
  const drive = spec.target.slice(0, 3);
  list.u16(0x19);
  list.u8(0x2f);
  list.ansi(drive);
  list.zeros(0x19 - 3 - drive.length);
  const parts = spec.target.slice(3).split('\\').filter((x) => x !== '');
  const time = fatParts(spec.itemTime);
  parts.forEach((name, i) => list.raw(fileEntryItem(name, i < parts.length - 1, spec.fileSize, time, i)));
  list.u16(0); // TerminalID
  out.u16(list.length);
  out.raw(list.done());
}

function writeLinkInfo(out: Sink, spec: LnkSpec): void {
  const li = spec.linkInfo;
  if (!li) return;
  const s = new Sink();
  const headerSize = li.volume ? 0x24 : 0x1c;
  s.zeros(headerSize); // patched below
  const offsets = { volume: 0, local: 0, network: 0, suffix: 0, localU: 0, suffixU: 0 };
  let flags = 0;
  if (li.volume) {
    flags |= 1;
    offsets.volume = s.length;
    const label = li.volume.label;
    s.u32(0x10 + label.length + 1);
    s.u32(li.volume.driveType);
    s.u32(li.volume.serialNumber);
    s.u32(0x10);
    s.ansi(label);
    s.u8(0);
    offsets.local = s.length;
    s.ansi(spec.target);
    s.u8(0);
    offsets.suffix = s.length;
    s.u8(0); // empty ANSI suffix
    if (s.length & 1) s.u8(0);
    offsets.localU = s.length;
    s.utf16(spec.target);
    s.u16(0);
    offsets.suffixU = s.length;
    s.u16(0);
  } else {
    flags |= 2;
    const net = li.network;
    offsets.network = s.length;
    const start = s.length;
    s.zeros(0x14);
    const netNameAt = s.length - start;
    s.ansi(net.netName);
    s.u8(0);
    const deviceAt = s.length - start;
    if (net.deviceName !== undefined) {
      s.ansi(net.deviceName);
      s.u8(0);
    }
    const size = s.length - start;
    s.putU32(start, size);
    s.putU32(start + 4, (net.deviceName !== undefined ? 1 : 0) | 2);
    s.putU32(start + 8, netNameAt);
    s.putU32(start + 12, net.deviceName !== undefined ? deviceAt : 0);
    s.putU32(start + 16, 0x00020000); // WNNC_NET_LANMAN
    offsets.suffix = s.length;
    s.ansi(net.suffix);
    s.u8(0);
  }
  s.putU32(0, s.length);
  s.putU32(4, headerSize);
  s.putU32(8, flags);
  s.putU32(12, offsets.volume);
  s.putU32(16, offsets.local);
  s.putU32(20, offsets.network);
  s.putU32(24, offsets.suffix);
  if (headerSize >= 0x24) {
    s.putU32(28, offsets.localU);
    s.putU32(32, offsets.suffixU);
  }
  out.raw(s.done());
}

function writeString(out: Sink, spec: LnkSpec, value: string | undefined): void {
  if (value === undefined) return;
  out.u16(value.length);
  if (spec.unicode) out.utf16(value);
  else out.ansi(value);
}

function writeEnvBlock(out: Sink, signature: number, target: string): void {
  out.u32(0x314);
  out.u32(signature);
  const a = new Sink();
  a.ansi(target.slice(0, 259));
  a.zeros(260 - a.length);
  out.raw(a.done());
  const w = new Sink();
  w.utf16(target.slice(0, 259));
  w.zeros(520 - w.length);
  out.raw(w.done());
}

function writeTracker(out: Sink, t: LnkTrackerSpec): void {
  out.u32(0x60);
  out.u32(0xa0000003);
  out.u32(0x58);
  out.u32(0);
  const m = new Sink();
  m.ansi(t.machineId.slice(0, 15));
  m.zeros(16 - m.length);
  out.raw(m.done());
  for (const g of [t.droidVolume, t.droidFile, t.birthDroidVolume, t.birthDroidFile]) out.raw(guidBytes(g));
}

function writePropertyStore(out: Sink, ps: NonNullable<LnkSpec['propertyStore']>): void {
  const st = new Sink();
  st.u32(0); // storage size, patched
  st.u32(0x53505331);
  st.raw(guidBytes(ps.formatId));
  for (const p of ps.properties) {
    const v = new Sink();
    v.u32(0);
    v.u32(p.id);
    v.u8(0);
    v.u16(0x1f); // VT_LPWSTR
    v.u16(0);
    v.u32(p.value.length + 1);
    v.utf16(p.value);
    v.u16(0);
    if (v.length & 3) v.zeros(4 - (v.length & 3));
    v.putU32(0, v.length);
    st.raw(v.done());
  }
  st.u32(0); // end of values
  st.putU32(0, st.length);
  out.u32(8 + st.length + 4);
  out.u32(0xa0000009);
  out.raw(st.done());
  out.u32(0); // end of storages
}

export function writeLnk(spec: LnkSpec): Uint8Array {
  const out = new Sink();
  let flags = 0;
  if (spec.idList) flags |= 1 << 0;
  if (spec.linkInfo) flags |= 1 << 1;
  if (spec.description !== undefined) flags |= 1 << 2;
  if (spec.relativePath !== undefined) flags |= 1 << 3;
  if (spec.workingDir !== undefined) flags |= 1 << 4;
  if (spec.arguments !== undefined) flags |= 1 << 5;
  if (spec.iconLocation !== undefined) flags |= 1 << 6;
  if (spec.unicode) flags |= 1 << 7;
  if (spec.environmentTarget !== undefined) flags |= 1 << 9;
  // header
  out.u32(0x4c);
  out.raw(guidBytes('00021401-0000-0000-C000-000000000046'));
  out.u32(flags);
  out.u32(spec.fileAttributes);
  filetime(out, spec.times.created);
  filetime(out, spec.times.accessed);
  filetime(out, spec.times.modified);
  out.u32(spec.fileSize);
  out.u32(spec.iconIndex);
  out.u32(spec.showCommand);
  out.u16(spec.hotKey);
  out.zeros(10);
  if (spec.idList) writeIdList(out, spec);
  writeLinkInfo(out, spec);
  for (const s of [spec.description, spec.relativePath, spec.workingDir, spec.arguments, spec.iconLocation]) writeString(out, spec, s);
  if (spec.environmentTarget !== undefined) writeEnvBlock(out, 0xa0000001, spec.environmentTarget);
  if (spec.tracker) writeTracker(out, spec.tracker);
  if (spec.specialFolder) {
    out.u32(0x10);
    out.u32(0xa0000005);
    out.u32(spec.specialFolder.id);
    out.u32(spec.specialFolder.offset);
  }
  if (spec.knownFolder) {
    out.u32(0x1c);
    out.u32(0xa000000b);
    out.raw(guidBytes(spec.knownFolder.guid));
    out.u32(spec.knownFolder.offset);
  }
  if (spec.propertyStore) writePropertyStore(out, spec.propertyStore);
  for (const b of spec.rawBlocks ?? []) {
    out.u32(8 + b.payload.length);
    out.u32(b.signature);
    out.raw(b.payload);
  }
  out.u32(0); // TerminalBlock
  return out.done();
}

/** A version-1 UUID for a time (ISO, 100 ns) and MAC ('AA:BB:..'), as the link tracker makes them. */
export function uuidV1(iso: string, mac: string, clockSequence: number): string {
  const ticks = isoToFiletime(iso) + 5748192000000000n; // FILETIME → UUID epoch (1582-10-15)
  const hex = (v: bigint | number, w: number): string => v.toString(16).toUpperCase().padStart(w, '0');
  const low = ticks & 0xffffffffn;
  const mid = (ticks >> 32n) & 0xffffn;
  const hi = ((ticks >> 48n) & 0x0fffn) | 0x1000n;
  const seq = (clockSequence & 0x3fff) | 0x8000;
  return `${hex(low, 8)}-${hex(mid, 4)}-${hex(hi, 4)}-${hex(seq, 4)}-${mac.replace(/:/g, '').toUpperCase()}`;
}

/** A random (version 4) UUID from the seed. */
export function uuidV4(rng: Prng): string {
  const h = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16).toUpperCase());
  h[12] = '4';
  h[16] = ((rng.int(0, 3) | 8) >>> 0).toString(16).toUpperCase();
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const WORDS = ['Update', 'Helper', 'Sync', 'Agent', 'Tray', 'svc', 'OneDrive', 'Teams', 'launcher', 'WinCfg'];
const DIRS = [['Program Files', 'Contoso'], ['Users', 'alice', 'AppData', 'Roaming'], ['ProgramData', 'Vendor Tools'], ['Windows', 'Temp'], ['Users', 'Public']];

/** A varied, valid spec from the seed: ANSI or Unicode, with or without IDList / LinkInfo / blocks. */
export function randomLnkSpec(rng: Prng): LnkSpec {
  const exe = `${rng.pick(WORDS)}${rng.int(1, 99)}.exe`;
  const dirs = rng.pick(DIRS);
  const target = `C:\\${[...dirs, exe].join('\\')}`;
  const unicode = rng.chance(0.7);
  const day = `2024-0${rng.int(1, 9)}-1${rng.int(0, 9)}`;
  const time = (h: number): string => `${day}T${String(h).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}.${String(rng.int(0, 9999999)).padStart(7, '0')}Z`;
  const mac = Array.from({ length: 6 }, () => rng.int(0, 255).toString(16).padStart(2, '0')).join(':');
  const droidTime = time(rng.int(0, 9));
  const network = rng.chance(0.15);
  return {
    target,
    unicode,
    idList: rng.chance(0.85),
    linkInfo: network
      ? { network: { netName: `\\\\FS${rng.int(1, 9)}\\share`, deviceName: rng.chance(0.5) ? 'Z:' : undefined, suffix: `${rng.pick(WORDS)}\\${exe}` } }
      : rng.chance(0.8)
        ? { volume: { driveType: 3, serialNumber: rng.int(0, 0xffffffff) >>> 0, label: rng.pick(['', 'OS', 'Windows', 'DATA']) } }
        : undefined,
    description: rng.chance(0.5) ? `Starts ${exe}` : undefined,
    relativePath: rng.chance(0.6) ? `..\\..\\${exe}` : undefined,
    workingDir: rng.chance(0.7) ? `C:\\${dirs.join('\\')}` : undefined,
    arguments: rng.chance(0.6) ? rng.pick(['/background', '-minimized --autostart', '/c start "" x.vbs', '-enc SQBFAFgA']) : undefined,
    iconLocation: rng.chance(0.4) ? `%SystemRoot%\\System32\\shell32.dll` : undefined,
    times: { created: time(10), accessed: time(12), modified: time(11) },
    fileSize: rng.int(1024, 8_000_000),
    fileAttributes: 0x20,
    iconIndex: rng.int(0, 5),
    showCommand: rng.pick([1, 3, 7]),
    hotKey: rng.chance(0.2) ? 0x0600 | rng.int(0x41, 0x5a) : 0,
    environmentTarget: rng.chance(0.4) ? `%ProgramFiles%\\${exe}` : undefined,
    tracker: rng.chance(0.7)
      ? {
          machineId: rng.pick(['desktop-7h2k9q', 'WS-0042', 'laptop-ana']),
          droidVolume: uuidV4(rng), // a volume id is random, a file id is time-based
          droidFile: uuidV1(droidTime, mac, rng.int(0, 0x3fff)),
          birthDroidVolume: uuidV4(rng),
          birthDroidFile: uuidV1(droidTime, mac, rng.int(0, 0x3fff)),
        }
      : undefined,
    knownFolder: rng.chance(0.3) ? { guid: '905E63B6-C1BF-494E-B29C-65B732D3D21A', offset: 20 } : undefined,
    specialFolder: rng.chance(0.2) ? { id: 0x26, offset: 20 } : undefined,
    propertyStore: rng.chance(0.3) ? { formatId: 'B725F130-47EF-101A-A5F1-02608C9EEBAC', properties: [{ id: 10, value: exe }] } : undefined,
    rawBlocks: rng.chance(0.2) ? [{ signature: 0xa00000ff, payload: Uint8Array.of(1, 2, 3, 4) }] : undefined,
    itemTime: `${day}T09:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 29) * 2).padStart(2, '0')}`,
  };
}
