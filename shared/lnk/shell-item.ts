// One shell item (an ItemID of an IDList; the layouts are Windows', documented by libyal's
// "Windows Shell Item format"): what is decoded is what rebuilds a path — root folder GUIDs, volume
// items (drive letter), file entry items (short name, FAT times, and the long name from the
// BEEF0004 extension block). The item arrives as a subarray cut to its own ItemIDSize, so no read
// leaves it; a damaged part of an item becomes a problem and the rest of the item is kept. Other
// item classes are listed by class type only.

import { u16, u32 } from '../bytes/byte-reader';
import { ansiz, fatDateTime, guard, guidAt, note, utf16z, type LnkContext } from './lnk-read';

/** Root folder GUIDs seen in shortcuts. */
const ROOT_FOLDERS: Readonly<Record<string, string>> = {
  '20D04FE0-3AEA-1069-A2D8-08002B30309D': 'My Computer',
  '450D8FBA-AD25-11D0-98A8-0800361B1103': 'My Documents',
  '208D2C60-3AEA-1069-A2D7-08002B30309D': 'My Network Places',
  'F02C1A0D-BE21-4350-88B0-7367FC96EF3C': 'Network',
  '59031A47-3F72-44A7-89C5-5595FE6B30EE': 'Users Files',
  '645FF040-5081-101B-9F08-00AA002F954E': 'Recycle Bin',
  '26EE0668-A00A-44D7-9371-BEB064C98683': 'Control Panel',
  '21EC2020-3AEA-1069-A2DD-08002B30309D': 'Control Panel Items',
  '871C5380-42A0-1069-A2EA-08002B30309D': 'Internet Explorer',
};

export interface RootFolderItem {
  kind: 'root';
  offset: number;
  classType: number;
  guid: string;
  folder?: string;
}
export interface VolumeItem {
  kind: 'volume';
  offset: number;
  classType: number;
  /** 'C:\' when the item names one. */
  drive?: string;
}
export interface FileEntryItem {
  kind: 'file';
  offset: number;
  classType: number;
  isDirectory: boolean;
  /** The primary (8.3) name. */
  shortName: string;
  /** The long name from the BEEF0004 extension block. */
  longName?: string;
  fileSize: number;
  attributes: number;
  /** FAT local times, 'YYYY-MM-DDThh:mm:ss' (no zone). */
  modified?: string;
  created?: string;
  accessed?: string;
  /** NTFS MFT entry and sequence number ('entry-sequence'), from extension version 7 on. */
  fileReference?: string;
}
export interface OtherItem {
  kind: 'other';
  offset: number;
  classType: number;
  size: number;
}
export type ShellItem = RootFolderItem | VolumeItem | FileEntryItem | OtherItem;

const EXTENSION_FILE_ENTRY = 0xbeef0004;

/** The name that goes into a path: the long name when the item has one. */
export const itemName = (item: FileEntryItem): string => item.longName || item.shortName;

/** item: bytes of one ItemID including its size field; base: its offset in the file. */
export function readShellItem(item: Uint8Array, base: number, ctx: LnkContext): ShellItem {
  const classType = item.length > 2 ? item[2] : 0;
  if (classType === 0x1f && item.length >= 20) {
    const guid = guidAt(item, 4);
    return { kind: 'root', offset: base, classType, guid, folder: ROOT_FOLDERS[guid] };
  }
  if ((classType & 0x70) === 0x20) return readVolume(item, base, classType);
  if ((classType & 0x70) === 0x30) {
    const entry = guard(ctx, base, 'file entry shell item', () => readFileEntry(item, base, classType, ctx));
    if (entry) return entry;
  }
  return { kind: 'other', offset: base, classType, size: item.length };
}

function readVolume(item: Uint8Array, base: number, classType: number): VolumeItem {
  // the name ("C:\") follows the class type when bit 0 is set; GUID-only volumes (0x2e) have none
  if (!(classType & 0x01) || item.length < 6) return { kind: 'volume', offset: base, classType };
  const { text } = ansiz(item, 3, Math.min(item.length, 3 + 20));
  return { kind: 'volume', offset: base, classType, drive: /^[A-Za-z]:\\?$/.test(text) ? text : undefined };
}

function readFileEntry(item: Uint8Array, base: number, classType: number, ctx: LnkContext): FileEntryItem {
  const fileSize = u32(item, 4, 'file entry size');
  const modified = fatDateTime(u16(item, 8, 'file entry modification date'), u16(item, 10, 'file entry modification time'));
  const attributes = u16(item, 12, 'file entry attributes');
  const unicode = (classType & 0x04) !== 0;
  const name = unicode ? utf16z(item, 14, item.length) : ansiz(item, 14, item.length);
  if (!name.terminated) note(ctx, 'BAD_STRING', base + 14, 'file entry primary name has no terminator inside its item');
  const out: FileEntryItem = { kind: 'file', offset: base, classType, isDirectory: (classType & 0x01) !== 0, shortName: name.text, fileSize, attributes, modified };
  // extension blocks start at the next 2-byte boundary after the name
  let p = name.next + (name.next & 1);
  while (p + 8 <= item.length) {
    const size = item[p] | (item[p + 1] << 8);
    if (size < 8 || p + size > item.length) break; // the trailing u16 of the item, or padding
    const block = item.subarray(p, p + size);
    if (u32(block, 4, 'extension block signature') === EXTENSION_FILE_ENTRY) {
      guard(ctx, base + p, 'BEEF0004 extension block', () => readBeef0004(block, base + p, out, ctx));
    }
    p += size;
  }
  return out;
}

/** Long-name offset inside BEEF0004 by extension version (3: XP, 7: Vista, 8: 7, 9: 8 and later). */
function longNameOffset(version: number): number | undefined {
  if (version >= 9) return 46;
  if (version === 8) return 42;
  if (version === 7) return 38;
  if (version >= 3) return 20;
  return undefined;
}

function readBeef0004(block: Uint8Array, base: number, out: FileEntryItem, ctx: LnkContext): void {
  const version = u16(block, 2, 'BEEF0004 version');
  out.created = fatDateTime(u16(block, 8, 'BEEF0004 creation date'), u16(block, 10, 'BEEF0004 creation time'));
  out.accessed = fatDateTime(u16(block, 12, 'BEEF0004 access date'), u16(block, 14, 'BEEF0004 access time'));
  if (version >= 7) {
    const lo = u32(block, 20, 'BEEF0004 file reference');
    const hi16 = u16(block, 24, 'BEEF0004 file reference');
    const seq = u16(block, 26, 'BEEF0004 sequence number');
    out.fileReference = `${hi16 * 4294967296 + lo}-${seq}`;
  }
  const at = longNameOffset(version);
  if (at === undefined) return;
  // the block ends with the u16 offset of its version field; the name stops before it
  const name = utf16z(block, at, block.length - 2);
  if (!name.terminated) {
    note(ctx, 'BAD_STRING', base + at, 'BEEF0004 long name has no terminator inside its block');
    return;
  }
  out.longName = name.text;
}
