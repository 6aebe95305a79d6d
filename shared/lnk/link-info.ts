// LinkInfo (MS-SHLLINK 2.3): where the target was when the link was saved — the volume (drive
// type, serial, label) and local base path, or the network share — plus the common path suffix.
// Everything is read inside LinkInfoSize (and the file); each offset is checked against that
// size, and the volume, the network link and each string are read on their own, so a damaged
// label does not cost the path. A LinkInfoSize past the file is TRUNCATED (what is there is read,
// nothing after it can be placed); one below the header is BAD_HEADER.

import { u32 } from '../bytes/byte-reader';
import { ansiz, guard, note, utf16z, type LnkContext } from './lnk-read';

const DRIVE_TYPES = ['DRIVE_UNKNOWN', 'DRIVE_NO_ROOT_DIR', 'DRIVE_REMOVABLE', 'DRIVE_FIXED', 'DRIVE_REMOTE', 'DRIVE_CDROM', 'DRIVE_RAMDISK'] as const;

export interface VolumeId {
  driveType: number;
  driveTypeName: string;
  /** DriveSerialNumber as 'XXXX-XXXX', the way `dir` prints it. */
  serial: string;
  serialNumber: number;
  label: string;
}

export interface CommonNetworkRelativeLink {
  flags: number;
  netName?: string;
  deviceName?: string;
  /** WNNC_NET_* provider type, when ValidNetType is set. */
  providerType?: number;
}

export interface LinkInfo {
  size: number;
  flags: number;
  volume?: VolumeId;
  localBasePath?: string;
  network?: CommonNetworkRelativeLink;
  commonPathSuffix?: string;
  /** Local base path (or net name) joined with the suffix; the Unicode forms win when present. */
  path?: string;
}

const MIN_HEADER = 0x1c;

/** A string at an offset inside the section; the offset itself is checked against the section. */
function stringAt(sec: Uint8Array, off: number, unicode: boolean, base: number, what: string, ctx: LnkContext): string | undefined {
  if (off === 0) return undefined;
  if (off >= sec.length) {
    note(ctx, 'BAD_VALUE', base, `${what} offset 0x${off.toString(16)} lies outside LinkInfo (${sec.length} bytes)`);
    return undefined;
  }
  const s = unicode ? utf16z(sec, off, sec.length) : ansiz(sec, off, sec.length);
  if (!s.terminated) note(ctx, 'BAD_STRING', base + off, `${what} has no terminator inside LinkInfo`);
  return s.text;
}

/** A sub-structure's offset (at the field fieldAt) must leave room for its size field inside LinkInfo. */
function placed(sec: Uint8Array, at: number, base: number, fieldAt: number, what: string, ctx: LnkContext): boolean {
  if (at + 4 <= sec.length) return true;
  note(ctx, 'BAD_VALUE', base + fieldAt, `${what} 0x${at.toString(16)} lies outside LinkInfo (${sec.length} bytes)`);
  return false;
}

function readVolumeId(sec: Uint8Array, at: number, base: number, ctx: LnkContext): VolumeId | undefined {
  if (!placed(sec, at, base, 12, 'VolumeIDOffset', ctx)) return undefined;
  const size = u32(sec, at, 'VolumeIDSize');
  if (size <= 0x10 || at + size > sec.length) {
    note(ctx, 'BAD_VALUE', base + at, `VolumeIDSize ${size} does not fit LinkInfo`);
    return undefined;
  }
  const vol = sec.subarray(at, at + size);
  return guard(ctx, base + at, 'VolumeID', () => volumeFields(vol, base + at, ctx));
}

function volumeFields(vol: Uint8Array, base: number, ctx: LnkContext): VolumeId {
  const driveType = u32(vol, 4, 'DriveType');
  const serialNumber = u32(vol, 8, 'DriveSerialNumber');
  const labelOffset = u32(vol, 12, 'VolumeLabelOffset');
  let label: string | undefined;
  if (labelOffset === 0x14) label = stringAt(vol, u32(vol, 16, 'VolumeLabelOffsetUnicode'), true, base, 'VolumeLabelUnicode', ctx);
  else label = stringAt(vol, labelOffset, false, base, 'VolumeLabel', ctx);
  const hex = serialNumber.toString(16).toUpperCase().padStart(8, '0');
  return {
    driveType,
    driveTypeName: DRIVE_TYPES[driveType] ?? `DRIVE_TYPE_${driveType}`,
    serial: `${hex.slice(0, 4)}-${hex.slice(4)}`,
    serialNumber,
    label: label ?? '',
  };
}

function readNetworkLink(sec: Uint8Array, at: number, base: number, ctx: LnkContext): CommonNetworkRelativeLink | undefined {
  if (!placed(sec, at, base, 20, 'CommonNetworkRelativeLinkOffset', ctx)) return undefined;
  const size = u32(sec, at, 'CommonNetworkRelativeSize');
  if (size < 0x14 || at + size > sec.length) {
    note(ctx, 'BAD_VALUE', base + at, `CommonNetworkRelativeSize ${size} does not fit LinkInfo`);
    return undefined;
  }
  const net = sec.subarray(at, at + size);
  return guard(ctx, base + at, 'CommonNetworkRelativeLink', () => networkFields(net, base + at, ctx));
}

function networkFields(net: Uint8Array, base: number, ctx: LnkContext): CommonNetworkRelativeLink {
  const flags = u32(net, 4, 'CommonNetworkRelativeLinkFlags');
  const netNameOffset = u32(net, 8, 'NetNameOffset');
  const deviceNameOffset = u32(net, 12, 'DeviceNameOffset');
  const providerType = flags & 2 ? u32(net, 16, 'NetworkProviderType') : undefined;
  // offsets past 0x14 mean the Unicode offsets follow (MS-SHLLINK 2.3.2)
  const unicode = netNameOffset > 0x14;
  const netName = unicode
    ? stringAt(net, u32(net, 20, 'NetNameOffsetUnicode'), true, base, 'NetNameUnicode', ctx)
    : stringAt(net, netNameOffset, false, base, 'NetName', ctx);
  let deviceName: string | undefined;
  if (flags & 1) {
    deviceName = unicode
      ? stringAt(net, u32(net, 24, 'DeviceNameOffsetUnicode'), true, base, 'DeviceNameUnicode', ctx)
      : stringAt(net, deviceNameOffset, false, base, 'DeviceName', ctx);
  }
  return { flags, netName, deviceName, providerType };
}

function joinPath(head: string, suffix: string | undefined): string {
  if (!suffix) return head;
  return head.endsWith('\\') ? head + suffix : head + '\\' + suffix;
}

/** LinkInfo at off; `next` is where StringData starts, undefined when it cannot be placed. */
export function readLinkInfo(buf: Uint8Array, off: number, ctx: LnkContext): { linkInfo?: LinkInfo; next?: number } {
  const head = guard(ctx, 0, 'LinkInfo', () => ({ size: u32(buf, off, 'LinkInfoSize'), headerSize: u32(buf, off + 4, 'LinkInfoHeaderSize') }));
  if (!head) return {};
  const { size, headerSize } = head;
  if (size < MIN_HEADER || headerSize < MIN_HEADER || headerSize > size) {
    note(ctx, 'BAD_HEADER', off, `LinkInfoSize 0x${size.toString(16)} / LinkInfoHeaderSize 0x${headerSize.toString(16)} are inconsistent`);
    return {};
  }
  let next: number | undefined = off + size;
  const sec = buf.subarray(off, off + size);
  if (off + size > buf.length) {
    note(ctx, 'TRUNCATED', off, `LinkInfoSize ${size} runs past the end of the file (${buf.length} bytes)`);
    next = undefined;
  }
  const info = guard(ctx, off, 'LinkInfo header', () => ({
    flags: u32(sec, 8, 'LinkInfoFlags'),
    volumeIdOffset: u32(sec, 12, 'VolumeIDOffset'),
    localBasePathOffset: u32(sec, 16, 'LocalBasePathOffset'),
    networkOffset: u32(sec, 20, 'CommonNetworkRelativeLinkOffset'),
    suffixOffset: u32(sec, 24, 'CommonPathSuffixOffset'),
    localBasePathOffsetUnicode: headerSize >= 0x24 ? u32(sec, 28, 'LocalBasePathOffsetUnicode') : 0,
    suffixOffsetUnicode: headerSize >= 0x24 ? u32(sec, 32, 'CommonPathSuffixOffsetUnicode') : 0,
  }));
  if (!info) return { next };
  const out: LinkInfo = { size, flags: info.flags };
  if (info.flags & 1) {
    if (info.volumeIdOffset) out.volume = guard(ctx, off, 'VolumeID', () => readVolumeId(sec, info.volumeIdOffset, off, ctx));
    const local = guard(ctx, off, 'LocalBasePath', () =>
      info.localBasePathOffsetUnicode
        ? stringAt(sec, info.localBasePathOffsetUnicode, true, off, 'LocalBasePathUnicode', ctx)
        : stringAt(sec, info.localBasePathOffset, false, off, 'LocalBasePath', ctx),
    );
    if (local !== undefined) out.localBasePath = local;
  }
  if (info.flags & 2 && info.networkOffset) out.network = guard(ctx, off, 'CommonNetworkRelativeLink', () => readNetworkLink(sec, info.networkOffset, off, ctx));
  const suffix = guard(ctx, off, 'CommonPathSuffix', () =>
    info.suffixOffsetUnicode
      ? stringAt(sec, info.suffixOffsetUnicode, true, off, 'CommonPathSuffixUnicode', ctx)
      : stringAt(sec, info.suffixOffset, false, off, 'CommonPathSuffix', ctx),
  );
  if (suffix !== undefined) out.commonPathSuffix = suffix;
  if (out.localBasePath) out.path = joinPath(out.localBasePath, out.commonPathSuffix);
  else if (out.network?.netName) out.path = joinPath(out.network.netName, out.commonPathSuffix);
  return { linkInfo: out, next };
}
