// ExtraData (MS-SHLLINK 2.5): BlockSize-prefixed blocks up to a terminal block (BlockSize < 4).
// Each block is read inside its BlockSize; a known signature with the wrong size is BAD_VALUE and
// skipped by its size, unknown signatures are listed and skipped. A BlockSize past the file ends
// the list with TRUNCATED, as does a file that ends without the terminal block. The number of
// blocks is bounded by the file (each one takes at least 8 bytes).

import { u32 } from '../bytes/byte-reader';
import { filetimeToIso } from '../model/time';
import { ansiz, guard, guidAt, note, utf16z, type LnkContext } from './lnk-read';
import { readItemIds } from './link-target-idlist';
import { readPropertyStore, type PropertyStorage } from './property-store';
import type { ShellItem } from './shell-item';

export const BLOCK_NAMES: Readonly<Record<number, string>> = {
  0xa0000001: 'EnvironmentVariableDataBlock',
  0xa0000002: 'ConsoleDataBlock',
  0xa0000003: 'TrackerDataBlock',
  0xa0000004: 'ConsoleFEDataBlock',
  0xa0000005: 'SpecialFolderDataBlock',
  0xa0000006: 'DarwinDataBlock',
  0xa0000007: 'IconEnvironmentDataBlock',
  0xa0000008: 'ShimDataBlock',
  0xa0000009: 'PropertyStoreDataBlock',
  0xa000000b: 'KnownFolderDataBlock',
  0xa000000c: 'VistaAndAboveIDListDataBlock',
};

/** Fixed sizes (minimum sizes for the variable blocks) of the known blocks. */
const SIZES: Readonly<Record<number, { size: number; exact: boolean }>> = {
  0xa0000001: { size: 0x314, exact: true },
  0xa0000002: { size: 0xcc, exact: true },
  0xa0000003: { size: 0x60, exact: true },
  0xa0000004: { size: 0x0c, exact: true },
  0xa0000005: { size: 0x10, exact: true },
  0xa0000006: { size: 0x314, exact: true },
  0xa0000007: { size: 0x314, exact: true },
  0xa0000008: { size: 0x88, exact: false },
  0xa0000009: { size: 0x0c, exact: false },
  0xa000000b: { size: 0x1c, exact: true },
  0xa000000c: { size: 0x0a, exact: false },
};

/** Known folders a Startup shortcut is likely to point into. */
const KNOWN_FOLDERS: Readonly<Record<string, string>> = {
  'B97D20BB-F46A-4C97-BA10-5E3608430854': 'Startup',
  '82A5EA35-D9CD-47C5-9629-E15D2F714E6E': 'CommonStartup',
  '1AC14E77-02E7-4E5D-B744-2EB1AE5198B7': 'System',
  'D65231B0-B2F1-4857-A4CE-A8E7C6EA7D27': 'SystemX86',
  'F38BF404-1D43-42F2-9305-67DE0B28FC23': 'Windows',
  '905E63B6-C1BF-494E-B29C-65B732D3D21A': 'ProgramFiles',
  '7C5A40EF-A0FB-4BFC-874A-C0F2E0B9FA8E': 'ProgramFilesX86',
  '62AB5D82-FDC1-4DC3-A9DD-070D1D495D97': 'ProgramData',
  'F1B32785-6FBA-4FCF-9D55-7B8E7F157091': 'LocalAppData',
  'A520A1A4-1780-4FF6-BD18-167343C5AF16': 'LocalAppDataLow',
  '3EB685DB-65F9-4CF6-A03A-E3EF65729F3D': 'RoamingAppData',
  '5E6C858F-0E22-4760-9AFE-EA3317B67173': 'Profile',
  'B4BFCC3A-DB2C-424C-B029-7FE99A87C641': 'Desktop',
  'FDD39AD0-238F-46AF-ADB4-6C85480369C7': 'Documents',
  '374DE290-123F-4565-9164-39C4925E467B': 'Downloads',
  '0762D272-C50A-4BB0-A382-697DCD729B80': 'UserProfiles',
  'A77F5D77-2E2B-44C3-A6A2-ABA601054A51': 'Programs',
  '625B53C3-AB48-4EC1-BA1F-A1EF4146FC19': 'StartMenu',
};

/** CSIDL values of SpecialFolderDataBlock. */
const CSIDL: Readonly<Record<number, string>> = {
  0x00: 'CSIDL_DESKTOP', 0x02: 'CSIDL_PROGRAMS', 0x05: 'CSIDL_PERSONAL', 0x07: 'CSIDL_STARTUP', 0x0b: 'CSIDL_STARTMENU',
  0x10: 'CSIDL_DESKTOPDIRECTORY', 0x18: 'CSIDL_COMMON_STARTUP', 0x1a: 'CSIDL_APPDATA', 0x1c: 'CSIDL_LOCAL_APPDATA',
  0x23: 'CSIDL_COMMON_APPDATA', 0x24: 'CSIDL_WINDOWS', 0x25: 'CSIDL_SYSTEM', 0x26: 'CSIDL_PROGRAM_FILES',
  0x28: 'CSIDL_PROFILE', 0x29: 'CSIDL_SYSTEMX86', 0x2a: 'CSIDL_PROGRAM_FILESX86',
};

/** A droid GUID, with what a version-1 UUID carries: the time it was made and the MAC of the machine. */
export interface Droid {
  guid: string;
  /** ISO time from the UUID's 60-bit timestamp (version 1 only). */
  time?: string;
  /** '00:0C:29:...' (version 1 only). */
  mac?: string;
  clockSequence?: number;
}

export interface TrackerData {
  /** The NetBIOS name of the machine the target was last seen on. */
  machineId: string;
  droidVolume: Droid;
  droidFile: Droid;
  birthDroidVolume: Droid;
  birthDroidFile: Droid;
}

export interface FolderLocation {
  /** Known folder GUID or CSIDL number. */
  id: string | number;
  name?: string;
  /** Offset into the IDList of the item that is the folder. */
  offset: number;
}

export interface ExtraBlock {
  signature: number;
  name: string;
  offset: number;
  size: number;
}

export interface ExtraData {
  blocks: ExtraBlock[];
  /** The target with its environment variables unexpanded (%ProgramFiles%\...). */
  environmentTarget?: string;
  iconEnvironmentTarget?: string;
  darwinId?: string;
  shimLayer?: string;
  tracker?: TrackerData;
  knownFolder?: FolderLocation;
  specialFolder?: FolderLocation;
  propertyStores?: PropertyStorage[];
  vistaIdList?: ShellItem[];
}

/** 1582-10-15 (the UUID epoch) to 1601-01-01, in 100 ns ticks. */
const UUID_TO_FILETIME = 5748192000000000n;

export function droidAt(b: Uint8Array, off: number): Droid {
  const guid = guidAt(b, off);
  const timeHi = b[off + 6] | (b[off + 7] << 8);
  if (timeHi >>> 12 !== 1) return { guid };
  const timeLow = (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
  const timeMid = b[off + 4] | (b[off + 5] << 8);
  const ticks = (BigInt(timeHi & 0x0fff) << 48n) | (BigInt(timeMid) << 32n) | BigInt(timeLow);
  const ft = ticks - UUID_TO_FILETIME;
  const time = ft >= 0n ? filetimeToIso(Number(ft & 0xffffffffn), Number(ft >> 32n)) || undefined : undefined;
  const mac = Array.from(b.subarray(off + 10, off + 16), (x) => (x < 16 ? '0' : '') + x.toString(16).toUpperCase()).join(':');
  return { guid, time, mac, clockSequence: ((b[off + 8] & 0x3f) << 8) | b[off + 9] };
}

/** The ANSI / Unicode pair of Environment, IconEnvironment and Darwin blocks; Unicode wins when set. */
function envPair(block: Uint8Array): string {
  const wide = utf16z(block, 268, 268 + 520).text;
  return wide !== '' ? wide : ansiz(block, 8, 8 + 260).text;
}

function readBlock(signature: number, block: Uint8Array, base: number, out: ExtraData, ctx: LnkContext): void {
  switch (signature) {
    case 0xa0000001:
      out.environmentTarget = envPair(block);
      break;
    case 0xa0000007:
      out.iconEnvironmentTarget = envPair(block);
      break;
    case 0xa0000006:
      out.darwinId = envPair(block);
      break;
    case 0xa0000003: {
      const length = u32(block, 8, 'TrackerDataBlock Length');
      if (length !== 0x58) note(ctx, 'BAD_VALUE', base + 8, `TrackerDataBlock Length is 0x${length.toString(16)}, not 0x58`);
      out.tracker = {
        machineId: ansiz(block, 16, 32).text,
        droidVolume: droidAt(block, 32),
        droidFile: droidAt(block, 48),
        birthDroidVolume: droidAt(block, 64),
        birthDroidFile: droidAt(block, 80),
      };
      break;
    }
    case 0xa000000b: {
      const id = guidAt(block, 8);
      out.knownFolder = { id, name: KNOWN_FOLDERS[id], offset: u32(block, 24, 'KnownFolderDataBlock Offset') };
      break;
    }
    case 0xa0000005: {
      const id = u32(block, 8, 'SpecialFolderID');
      out.specialFolder = { id, name: CSIDL[id], offset: u32(block, 12, 'SpecialFolderDataBlock Offset') };
      break;
    }
    case 0xa0000008:
      out.shimLayer = utf16z(block, 8, block.length).text;
      break;
    case 0xa0000009:
      (out.propertyStores ??= []).push(...readPropertyStore(block, base, ctx));
      break;
    case 0xa000000c:
      out.vistaIdList = readItemIds(block, 8, block.length, base, ctx);
      break;
    default:
      break; // console blocks and unknown signatures: listed, nothing to decode for a target
  }
}

export function readExtraData(buf: Uint8Array, off: number, ctx: LnkContext): ExtraData {
  const out: ExtraData = { blocks: [] };
  let p = off;
  for (;;) {
    if (p + 4 > buf.length) {
      note(ctx, 'TRUNCATED', p, 'ExtraData ends without its terminal block');
      return out;
    }
    const size = u32(buf, p, 'BlockSize');
    if (size < 4) {
      if (size !== 0) note(ctx, 'BAD_VALUE', p, `terminal BlockSize is ${size}, not 0`);
      return out;
    }
    if (size < 8 || p + size > buf.length) {
      note(ctx, size < 8 ? 'BAD_VALUE' : 'TRUNCATED', p, `BlockSize ${size} ${size < 8 ? 'is smaller than a block header' : 'runs past the end of the file'}`);
      return out;
    }
    const signature = u32(buf, p + 4, 'BlockSignature');
    const name = BLOCK_NAMES[signature] ?? `unknown block 0x${signature.toString(16)}`;
    out.blocks.push({ signature, name, offset: p, size });
    const want = SIZES[signature];
    if (want && (want.exact ? size !== want.size : size < want.size)) {
      note(ctx, 'BAD_VALUE', p, `${name} has BlockSize 0x${size.toString(16)}, expected ${want.exact ? '' : 'at least '}0x${want.size.toString(16)}`);
    } else if (want) {
      const block = buf.subarray(p, p + size);
      const at = p;
      guard(ctx, at, name, () => readBlock(signature, block, at, out, ctx));
    }
    p += size;
  }
}
