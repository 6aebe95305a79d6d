// LinkTargetIDList (MS-SHLLINK 2.2): IDListSize then ItemIDs (each ItemIDSize-prefixed) up to a
// zero TerminalID. The list is read inside its declared size (and the file): an item whose size
// runs past it, or is smaller than a size field, ends the list with a problem; the items before
// it are kept. The target path is rebuilt from a volume item and the file entries after it, for
// shortcuts without LinkInfo (or whose LinkInfo is damaged).

import { u16 } from '../bytes/byte-reader';
import { guard, note, type LnkContext } from './lnk-read';
import { itemName, readShellItem, type ShellItem } from './shell-item';

export interface LinkTargetIdList {
  /** IDListSize as stored. */
  size: number;
  items: ShellItem[];
  /** 'C:\Users\x\a.exe' rebuilt from the items, when they start at a volume. */
  path?: string;
}

/**
 * The ItemIDs of buf[off, end) up to the terminal. Also used for the IDList inside a
 * VistaAndAboveIDListDataBlock, which has the items without the leading size.
 */
export function readItemIds(buf: Uint8Array, off: number, end: number, base: number, ctx: LnkContext): ShellItem[] {
  const items: ShellItem[] = [];
  let p = off;
  for (;;) {
    if (p + 2 > end) {
      note(ctx, 'TRUNCATED', base + p, 'IDList ends without its TerminalID');
      break;
    }
    const size = u16(buf, p, 'ItemIDSize');
    if (size === 0) break;
    if (size < 3) {
      note(ctx, 'BAD_VALUE', base + p, `ItemIDSize ${size} is smaller than an item`);
      break;
    }
    if (p + size > end) {
      note(ctx, 'TRUNCATED', base + p, `ItemID of ${size} bytes runs past the IDList`);
      break;
    }
    const item = buf.subarray(p, p + size);
    const at = base + p;
    const read = guard(ctx, at, 'shell item', () => readShellItem(item, at, ctx));
    if (read) items.push(read);
    p += size;
  }
  return items;
}

/** Volume + file entries → a path; undefined when the items hold no volume to start from. */
export function pathFromItems(items: readonly ShellItem[]): string | undefined {
  let path: string | undefined;
  for (const item of items) {
    if (item.kind === 'volume' && item.drive) path = item.drive.endsWith('\\') ? item.drive : item.drive + '\\';
    else if (item.kind === 'file' && path !== undefined) path += (path.endsWith('\\') ? '' : '\\') + itemName(item);
    else if (path !== undefined && item.kind !== 'volume') return path; // a shell namespace item below a file: stop at the file
  }
  return path;
}

/**
 * The IDList at off. `next` is where LinkInfo starts (off + 2 + IDListSize), or undefined when the
 * size runs past the file and nothing after the list can be placed.
 */
export function readLinkTargetIdList(buf: Uint8Array, off: number, ctx: LnkContext): { idList?: LinkTargetIdList; next?: number } {
  const size = guard(ctx, 0, 'LinkTargetIDList', () => u16(buf, off, 'IDListSize'));
  if (size === undefined) return {};
  let end = off + 2 + size;
  let next: number | undefined = end;
  if (end > buf.length) {
    note(ctx, 'TRUNCATED', off, `IDListSize ${size} runs past the end of the file (${buf.length} bytes)`);
    end = buf.length;
    next = undefined;
  }
  const section = buf.subarray(0, end);
  const items = readItemIds(section, off + 2, end, 0, ctx);
  return { idList: { size, items, path: pathFromItems(items) }, next };
}
