// A Windows shortcut (.lnk, MS-SHLLINK) → what it starts: target, arguments, working folder,
// times, and where it was made (machine id, volume). Sections follow each other (header, IDList,
// LinkInfo, StringData, ExtraData), each placed by the sizes before it: a section whose size runs
// past the file ends the reading there, a damaged part inside a section costs only that part.
// Never throws: an unexpected exception (a bug) is an INTERNAL problem and the parts read so far
// are returned. Memory and time are linear in the file: every count and size is checked against it.

import { problem } from '../model/problems';
import type { Problem } from '../model/problems';
import { readExtraData, type ExtraData } from './extra-data';
import { readLinkInfo, type LinkInfo, type VolumeId } from './link-info';
import { readLinkTargetIdList, type LinkTargetIdList } from './link-target-idlist';
import type { LnkContext } from './lnk-read';
import { HEADER_SIZE, flag, readShellLinkHeader, type HotKey, type ShellLinkHeader } from './shell-link-header';
import { readStringData, type StringData } from './string-data';

export type TargetSource = 'link-info' | 'id-list' | 'environment';

export interface ParsedLnk {
  file: string;
  /** The header was read: the file is a shell link (possibly damaged further on). */
  isShellLink: boolean;
  /** The target path: LinkInfo's, else the IDList's, else the environment block's. */
  target?: string;
  targetSource?: TargetSource;
  /** The target with environment variables unexpanded, when the link keeps one. */
  environmentTarget?: string;
  arguments?: string;
  workingDir?: string;
  iconLocation?: string;
  iconIndex?: number;
  /** NAME_STRING. */
  description?: string;
  relativePath?: string;
  /** The target's times as recorded in the header. */
  times: { created?: string; accessed?: string; modified?: string };
  /** The target's size as recorded in the header. */
  size?: number;
  showCommand?: string;
  hotKey?: HotKey;
  /** NetBIOS name from the TrackerDataBlock. */
  machineId?: string;
  volume?: VolumeId;
  header?: ShellLinkHeader;
  idList?: LinkTargetIdList;
  linkInfo?: LinkInfo;
  strings: StringData;
  extra: ExtraData;
  problems: Problem[];
}

function readSections(bytes: Uint8Array, out: ParsedLnk, ctx: LnkContext): void {
  const header = readShellLinkHeader(bytes, ctx);
  if (!header) return;
  out.header = header;
  out.isShellLink = true;
  const flags = header.linkFlags;
  let p: number | undefined = HEADER_SIZE;
  if (flag(flags, 'HasLinkTargetIDList')) {
    const r = readLinkTargetIdList(bytes, p, ctx);
    out.idList = r.idList;
    p = r.next;
  }
  if (p === undefined) return;
  if (flag(flags, 'HasLinkInfo') && !flag(flags, 'ForceNoLinkInfo')) {
    const r = readLinkInfo(bytes, p, ctx);
    out.linkInfo = r.linkInfo;
    p = r.next;
  } else if (flag(flags, 'HasLinkInfo')) {
    // ForceNoLinkInfo: Windows ignores the structure, but it is still there to be stepped over (and its damage still stops the reading)
    p = readLinkInfo(bytes, p, ctx).next;
  }
  if (p === undefined) return;
  const s = readStringData(bytes, p, flags, ctx);
  out.strings = s.strings;
  if (s.next === undefined) return;
  out.extra = readExtraData(bytes, s.next, ctx);
}

function summarize(out: ParsedLnk): void {
  const h = out.header;
  if (h) {
    out.times = { created: h.creationTime, accessed: h.accessTime, modified: h.writeTime };
    out.size = h.fileSize;
    out.showCommand = h.showCommandName;
    out.hotKey = h.hotKey;
    out.iconIndex = h.iconIndex;
  }
  out.environmentTarget = out.extra.environmentTarget || undefined;
  if (out.linkInfo?.path) [out.target, out.targetSource] = [out.linkInfo.path, 'link-info'];
  else if (out.idList?.path) [out.target, out.targetSource] = [out.idList.path, 'id-list'];
  else if (out.environmentTarget) [out.target, out.targetSource] = [out.environmentTarget, 'environment'];
  out.description = out.strings.name;
  out.relativePath = out.strings.relativePath;
  out.workingDir = out.strings.workingDir;
  out.arguments = out.strings.arguments;
  out.iconLocation = out.strings.iconLocation ?? out.extra.iconEnvironmentTarget;
  out.machineId = out.extra.tracker?.machineId;
  out.volume = out.linkInfo?.volume;
}

export function parseLnk(bytes: Uint8Array, file: string): ParsedLnk {
  const ctx: LnkContext = { file, size: bytes.length, problems: [] };
  const out: ParsedLnk = { file, isShellLink: false, times: {}, strings: {}, extra: { blocks: [] }, problems: ctx.problems };
  try {
    readSections(bytes, out, ctx);
  } catch (e) {
    ctx.problems.push(problem('INTERNAL', 'error', file, `shortcut reader failed: ${e instanceof Error ? e.message : String(e)}`));
  }
  summarize(out);
  return out;
}
