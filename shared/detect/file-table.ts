// File creations kept column-wise, like process starts (shared/detect/process-table): a case holds
// every file creation of its evidence until the case stage, though only the few whose name a
// payload has are ever linked. The columns are a ProcessTable's (path in the command line column,
// the creating process's image and guid in theirs), so strings are interned and guids and times
// stored as numbers the same way; a row becomes an IndexedFile only when asked for.

import type { FileEvent } from '../model/events';
import { ProcessTable } from './process-table';
import type { IndexedFile } from './types';

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
}

export class FileTable implements FileRows {
  private readonly t = new ProcessTable({ repeatedGuids: true, loosePaths: true });

  get length(): number {
    return this.t.length;
  }

  addEvent(ev: FileEvent): void {
    this.t.addFile(ev);
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
