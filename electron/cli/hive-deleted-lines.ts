// `hive --deleted`: the NDJSON lines of a hive's deleted keys and values (recoverDeleted), each
// with `deleted: true`, its source and the file offset of its cell; `path` when the record is
// linked to a live key (directly or through deleted ones), otherwise `unassociated: true` with the
// partial path that could be found. A value's data is given only where it is still there
// (`dataState` 'resident' or 'free'); 'overwritten' / 'unreadable' data is not invented. With
// --key, only records whose path lies under one of the keys.

import type { Problem } from '../../shared/model/problems';
import type { Hive } from '../../shared/regf/hive';
import { upperName } from '../../shared/regf/names';
import { recoverDeleted } from '../../shared/regf/recover-deleted';
import { decodeValueData } from '../../shared/regf/value-data';

function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

function under(path: string, roots: readonly string[]): boolean {
  if (roots.length === 0) return true;
  const p = upperName(path);
  return roots.some((r) => {
    const u = upperName(r.replace(/^\\+|\\+$/g, ''));
    return u === '' || p === u || p.startsWith(u + '\\');
  });
}

export function deletedLines(file: string, hive: Hive, keyPaths: readonly string[]): { lines: string[]; keys: number; values: number; problems: Problem[] } {
  const d = recoverDeleted(hive, { file });
  const lines: string[] = [];
  let keys = 0;
  let values = 0;
  for (const k of d.keys) {
    if (keyPaths.length > 0 && (!k.rooted || !under(k.path, keyPaths))) continue;
    keys++;
    lines.push(JSON.stringify({
      file, kind: 'key', ...(k.rooted ? { path: k.path } : { unassociated: true, partialPath: k.path }), name: k.name,
      lastWritten: k.lastWritten, subkeys: k.subkeyCount, values: k.valueCount, deleted: true, source: k.source, offset: k.offset,
    }));
  }
  for (const v of d.values) {
    const rooted = v.key?.rooted === true;
    if (keyPaths.length > 0 && (!rooted || !under(v.key?.path ?? '', keyPaths))) continue;
    values++;
    const line: Record<string, unknown> = { file, kind: 'value' };
    if (v.key && rooted) line.path = v.key.path;
    else {
      line.unassociated = true;
      if (v.key) line.partialPath = v.key.path;
    }
    if (v.key) line.keyOffset = v.key.offset;
    if (v.key) line.keyDeleted = v.key.deleted;
    Object.assign(line, { name: v.name, type: v.typeName, typeCode: v.type, size: v.size, deleted: true, source: v.source, dataState: v.dataState });
    if (v.data) {
      const dec = decodeValueData(v.type, v.data);
      if (dec.kind === 'string') line.text = dec.text;
      else if (dec.kind === 'strings') line.items = dec.items;
      else if (dec.kind === 'number') line.number = dec.value;
      else if (dec.kind === 'qword') line.text = dec.value.toString();
      if (dec.kind === 'bytes' || ((dec.kind === 'string' || dec.kind === 'strings') && !dec.exact)) line.base64 = base64(v.data);
    }
    line.offset = v.offset;
    lines.push(JSON.stringify(line));
  }
  return { lines, keys, values, problems: d.problems };
}
