// Streams WinRecords into a valid EVTX file: a 4 KiB file header, then 64 KiB chunks, each sealed
// and handed to `onChunk` as soon as it is full, so memory stays at one chunk whatever the file
// size. The file header can only be final at the end (chunk count, next record id): the host
// writes a placeholder first and overwrites it with finish()'s bytes.

import { ByteWriter } from './byte-writer';
import { ChunkWriter, CHUNK_SIZE } from './chunk-writer';
import { crc32 } from '../../bytes/crc32';
import type { TemplateShape } from './template';
import type { WinRecord } from '../render/windows-event';

export const FILE_HEADER_SIZE = 4096;

export interface RecordPlace {
  chunk: number;
  /** Byte offset of the record in the file. */
  offset: number;
}

export class EvtxWriter {
  private chunk: ChunkWriter;
  private readonly shapes = new Map<string, TemplateShape>();
  private chunks = 0;
  private nextRecordId = 1;

  constructor(private readonly onChunk: (bytes: Uint8Array) => void) {
    this.chunk = new ChunkWriter(this.shapes);
  }

  /** Bytes to reserve at the start of the file (rewritten by finish()). */
  static placeholder(): Uint8Array {
    return new Uint8Array(FILE_HEADER_SIZE);
  }

  add(r: WinRecord): RecordPlace {
    let off = this.chunk.tryAdd(r);
    if (off < 0) {
      if (this.chunk.records === 0) throw new Error(`record ${r.recordId} is larger than an EVTX chunk`);
      this.flush();
      off = this.chunk.tryAdd(r);
      if (off < 0) throw new Error(`record ${r.recordId} is larger than an EVTX chunk`);
    }
    this.nextRecordId = r.recordId + 1;
    return { chunk: this.chunks, offset: FILE_HEADER_SIZE + this.chunks * CHUNK_SIZE + off };
  }

  private flush(): void {
    this.onChunk(this.chunk.seal());
    this.chunks++;
    this.chunk = new ChunkWriter(this.shapes);
  }

  /** Seal the last chunk and return the final file header. */
  finish(): Uint8Array {
    if (this.chunk.records > 0) this.flush();
    const buf = new Uint8Array(FILE_HEADER_SIZE);
    const w = new ByteWriter(buf);
    buf.set([0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00], 0); // "ElfFile\0"
    w.pos = 8;
    const lastChunk = Math.max(0, this.chunks - 1);
    w.u64(0, 0);
    w.u64(lastChunk >>> 0, Math.floor(lastChunk / 4294967296));
    w.u64(this.nextRecordId >>> 0, Math.floor(this.nextRecordId / 4294967296));
    w.u32(128);
    w.u16(2); // minor version
    w.u16(3); // major version
    w.u16(FILE_HEADER_SIZE);
    w.u16(Math.min(this.chunks, 0xffff));
    w.pos = 120;
    w.u32(0); // flags: clean
    w.u32(crc32(buf, 0, 120));
    return buf;
  }

  get chunkCount(): number {
    return this.chunks;
  }
}
