// File creations kept column-wise, like process starts (shared/detect/process-table): a case holds
// every file creation of its evidence until the case stage, though only the few whose name a
// payload has are ever linked. The columns are a ProcessTable's (path in the command line column,
// the creating process's image and guid in theirs), so strings are interned and guids and times
// stored as numbers the same way; a row becomes an IndexedFile only when asked for.

import type { FileEvent } from '../model/events';
import { ProcessTable } from './process-table';
import type { IndexedFile } from './types';
import { baseNameKey } from './paths';

/** Row access to file creations (a FileTable, or an array through arrayFileRows). */
export interface FileRows extends Iterable<IndexedFile> {
  readonly length: number;
  row(i: number): IndexedFile;
  path(i: number): string;
  host(i: number): string;
  /** An id of row i's path: equal ids, equal paths (a path may have two ids), so work per path id is done once. text(id) is the path. */
  pathId(i: number): number;
  text(id: number): string | undefined;
  /** Ids run from 0 to below this. */
  textCount(): number;
  /** baseNameKey of text(id), worked out when the path was new (0: not known, compare by text). */
  pathKey(id: number): number;
}

export class FileTable implements FileRows {
  private readonly t = new ProcessTable({ repeatedGuids: true, loosePaths: true });

  get length(): number {
    return this.t.length;
  }

  /** By path id, baseNameKey of the path (0 for other ids). */
  private keys = new Int32Array(1024);
  private lastKeyed = 0;

  addEvent(ev: FileEvent): void {
    this.t.addFile(ev);
    // a new path gets the next id: its key is worked out now, while its text is at hand, so the
    // case stage rules out most paths without reading them
    const id = this.t.commandLineId(this.t.length - 1);
    if (id > this.lastKeyed && ev.targetFilename !== undefined) {
      if (id >= this.keys.length) {
        const more = new Int32Array(Math.max(id + 1, this.keys.length * 2));
        more.set(this.keys);
        this.keys = more;
      }
      this.keys[id] = baseNameKey(ev.targetFilename);
      this.lastKeyed = id;
    }
  }

  pathKey(id: number): number {
    return id < this.keys.length ? this.keys[id] : 0;
  }

  row(i: number): IndexedFile {
    const p = this.t.row(i);
    const f: IndexedFile = { key: p.key, ref: p.ref, host: p.host, time: p.time, timeMs: p.timeMs, path: p.commandLine ?? '' };
    if (p.image !== undefined) f.image = p.image;
    if (p.guid !== undefined) f.guid = p.guid;
    return f;
  }

  /** The path (interned: files of one path give the same string). */
  path(i: number): string {
    return this.t.commandLine(i) ?? '';
  }

  host(i: number): string {
    return this.t.host(i);
  }

  pathId(i: number): number {
    return this.t.commandLineId(i);
  }

  text(id: number): string | undefined {
    return this.t.text(id);
  }

  textCount(): number {
    return this.t.textCount();
  }

  /** Appending is over for now (see ProcessTable.seal). */
  seal(): void {
    this.t.seal();
  }

  *[Symbol.iterator](): Iterator<IndexedFile> {
    for (let i = 0; i < this.length; i++) yield this.row(i);
  }
}
