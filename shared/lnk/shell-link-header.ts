// ShellLinkHeader (MS-SHLLINK 2.1): the fixed 76 bytes every shortcut opens with. A wrong
// HeaderSize or LinkCLSID means the file is no shell link (BAD_MAGIC) and nothing else is read;
// a file shorter than 76 bytes with the right signature is TRUNCATED. Unknown flag and attribute
// bits are kept in the raw numbers; only the documented ones are named.

import { u16, u32 } from '../bytes/byte-reader';
import { filetimeAt, guard, note, type LnkContext } from './lnk-read';

export const HEADER_SIZE = 0x4c;
/** 00021401-0000-0000-C000-000000000046 as stored (Data1..Data3 little-endian). */
export const LINK_CLSID = Uint8Array.of(0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);

/** LinkFlags bits, in bit order (MS-SHLLINK 2.1.1). */
export const LINK_FLAG_NAMES = [
  'HasLinkTargetIDList', 'HasLinkInfo', 'HasName', 'HasRelativePath', 'HasWorkingDir', 'HasArguments',
  'HasIconLocation', 'IsUnicode', 'ForceNoLinkInfo', 'HasExpString', 'RunInSeparateProcess', 'Unused1',
  'HasDarwinID', 'RunAsUser', 'HasExpIcon', 'NoPidlAlias', 'Unused2', 'RunWithShimLayer', 'ForceNoLinkTrack',
  'EnableTargetMetadata', 'DisableLinkPathTracking', 'DisableKnownFolderTracking', 'DisableKnownFolderAlias',
  'AllowLinkToLink', 'UnaliasOnSave', 'PreferEnvironmentPath', 'KeepLocalIDListForUNCTarget',
] as const;
export type LinkFlagName = (typeof LINK_FLAG_NAMES)[number];

export const flag = (flags: number, name: LinkFlagName): boolean => ((flags >>> LINK_FLAG_NAMES.indexOf(name)) & 1) === 1;

/** FILE_ATTRIBUTE_* bits (MS-SHLLINK 2.1.2). */
const ATTRIBUTE_NAMES: readonly (readonly [number, string])[] = [
  [0x1, 'READONLY'], [0x2, 'HIDDEN'], [0x4, 'SYSTEM'], [0x10, 'DIRECTORY'], [0x20, 'ARCHIVE'], [0x80, 'NORMAL'],
  [0x100, 'TEMPORARY'], [0x200, 'SPARSE_FILE'], [0x400, 'REPARSE_POINT'], [0x800, 'COMPRESSED'], [0x1000, 'OFFLINE'],
  [0x2000, 'NOT_CONTENT_INDEXED'], [0x4000, 'ENCRYPTED'],
];

const SHOW_COMMANDS: Readonly<Record<number, string>> = { 1: 'SW_SHOWNORMAL', 3: 'SW_SHOWMAXIMIZED', 7: 'SW_SHOWMINNOACTIVE' };

export interface HotKey {
  key: number;
  modifiers: number;
  /** 'Ctrl+Alt+K'; '' when no hot key is set. */
  text: string;
}

export interface ShellLinkHeader {
  linkFlags: number;
  flagNames: LinkFlagName[];
  fileAttributes: number;
  attributeNames: string[];
  /** The target's times as the link recorded them (ISO, 100 ns); absent when zero. */
  creationTime?: string;
  accessTime?: string;
  writeTime?: string;
  /** The target's size (low 32 bits). */
  fileSize: number;
  iconIndex: number;
  showCommand: number;
  /** SW_* name; other values are to be read as SW_SHOWNORMAL (the spec says so) and are named 'SW_SHOWNORMAL (n)'. */
  showCommandName: string;
  hotKey: HotKey;
}

function hotKeyText(key: number, modifiers: number): string {
  if (key === 0) return '';
  let name: string;
  if ((key >= 0x30 && key <= 0x39) || (key >= 0x41 && key <= 0x5a)) name = String.fromCharCode(key);
  else if (key >= 0x70 && key <= 0x87) name = `F${key - 0x6f}`;
  else if (key === 0x90) name = 'NumLock';
  else if (key === 0x91) name = 'ScrollLock';
  else name = `0x${key.toString(16)}`;
  const mods: string[] = [];
  if (modifiers & 2) mods.push('Ctrl');
  if (modifiers & 4) mods.push('Alt');
  if (modifiers & 1) mods.push('Shift');
  return [...mods, name].join('+');
}

/** Whether the bytes open with a shell link header's size and CLSID (content, not the name, says what a file is). */
export function looksLikeShellLink(buf: Uint8Array): boolean {
  if (buf.length < 20 || buf[0] !== HEADER_SIZE || buf[1] !== 0 || buf[2] !== 0 || buf[3] !== 0) return false;
  for (let i = 0; i < 16; i++) if (buf[4 + i] !== LINK_CLSID[i]) return false;
  return true;
}

/** The header, or undefined (with a problem) when the file is no shell link or is cut inside the header. */
export function readShellLinkHeader(buf: Uint8Array, ctx: LnkContext): ShellLinkHeader | undefined {
  return guard(ctx, 0, 'ShellLinkHeader', () => {
    const size = u32(buf, 0, 'HeaderSize');
    if (size !== HEADER_SIZE) {
      note(ctx, 'BAD_MAGIC', 0, `HeaderSize is 0x${size.toString(16)}, a shell link has 0x4c`);
      return undefined;
    }
    for (let i = 0; i < 16 && 4 + i < buf.length; i++) {
      if (buf[4 + i] !== LINK_CLSID[i]) {
        note(ctx, 'BAD_MAGIC', 4, 'LinkCLSID is not 00021401-0000-0000-C000-000000000046');
        return undefined;
      }
    }
    if (buf.length < HEADER_SIZE) {
      note(ctx, 'TRUNCATED', 0, `ShellLinkHeader needs ${HEADER_SIZE} bytes, the file holds ${buf.length}`);
      return undefined;
    }
    const linkFlags = u32(buf, 20, 'LinkFlags');
    const fileAttributes = u32(buf, 24, 'FileAttributes');
    const showCommand = u32(buf, 60, 'ShowCommand');
    const hot = u16(buf, 64, 'HotKey');
    const key = hot & 0xff;
    const modifiers = hot >>> 8;
    const iconIndex = u32(buf, 56, 'IconIndex') | 0;
    return {
      linkFlags,
      flagNames: LINK_FLAG_NAMES.filter((_, i) => (linkFlags >>> i) & 1),
      fileAttributes,
      attributeNames: ATTRIBUTE_NAMES.filter(([bit]) => fileAttributes & bit).map(([, n]) => n),
      creationTime: filetimeAt(buf, 28),
      accessTime: filetimeAt(buf, 36),
      writeTime: filetimeAt(buf, 44),
      fileSize: u32(buf, 52, 'FileSize'),
      iconIndex,
      showCommand,
      showCommandName: SHOW_COMMANDS[showCommand] ?? `SW_SHOWNORMAL (${showCommand})`,
      hotKey: { key, modifiers, text: hotKeyText(key, modifiers) },
    };
  });
}
