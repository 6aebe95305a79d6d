// Cell allocation inside hive bins. Cells are 8-byte aligned, their size field counts the 4-byte
// size itself, negative when allocated; a cell never crosses a bin, so a cell that does not fit
// in the current 4 KiB bin closes it (the slack becomes one free cell, positive size) and opens a
// new bin, as large as the cell needs in whole pages (a 16,344-byte big data segment gets a
// 20 KiB bin). Allocation only moves forward, so a cell freed with free() keeps its contents:
// that is what a deleted value in real hives looks like until its space is reused.
// Offsets given out are relative to the start of the hive bins data, as every regf pointer is.

import { HBIN_HEADER_SIZE, PAGE, writeHbinHeader } from './hive-bin';

export const NO_CELL = 0xffffffff;

export class CellAllocator {
  private buf = new Uint8Array(8 * PAGE);
  private dv = new DataView(this.buf.buffer);
  private readonly binStarts: number[] = [];
  private binEnd = 0;
  private top = 0;

  /** Allocates a cell for `dataLength` bytes of cell data; returns the cell's offset (its size field). */
  alloc(dataLength: number): number {
    const size = Math.ceil((dataLength + 4) / 8) * 8;
    if (this.top + size > this.binEnd) this.openBin(size);
    const at = this.top;
    this.dv.setInt32(at, -size, true);
    this.top += size;
    return at;
  }

  /** Marks an allocated cell free (positive size), leaving its data as it was. */
  free(cell: number): void {
    const size = this.dv.getInt32(cell, true);
    if (size >= 0) throw new Error(`cell 0x${cell.toString(16)} is not allocated`);
    this.dv.setInt32(cell, -size, true);
  }

  /** Where a cell's data starts (after its size field). */
  data(cell: number): number {
    return cell + 4;
  }

  u8(at: number, v: number): void {
    this.buf[at] = v;
  }

  u16(at: number, v: number): void {
    this.dv.setUint16(at, v, true);
  }

  u32(at: number, v: number): void {
    this.dv.setUint32(at, v >>> 0, true);
  }

  u64(at: number, v: bigint): void {
    this.dv.setBigUint64(at, v, true);
  }

  bytes(at: number, b: Uint8Array): void {
    this.buf.set(b, at);
  }

  /** The hive bins data: bins closed (slack as free cells) and their headers written. */
  finish(firstBinTimestamp: bigint): Uint8Array {
    this.closeBin();
    const out = this.buf.slice(0, this.binEnd);
    this.binStarts.forEach((start, i) => {
      const end = i + 1 < this.binStarts.length ? this.binStarts[i + 1] : this.binEnd;
      writeHbinHeader(out, start, end - start, i === 0 ? firstBinTimestamp : undefined);
    });
    return out;
  }

  private closeBin(): void {
    if (this.top < this.binEnd) this.dv.setInt32(this.top, this.binEnd - this.top, true);
    this.top = this.binEnd;
  }

  private openBin(cellSize: number): void {
    this.closeBin();
    const start = this.binEnd;
    const size = Math.ceil((HBIN_HEADER_SIZE + cellSize) / PAGE) * PAGE;
    this.ensure(start + size);
    this.binStarts.push(start);
    this.binEnd = start + size;
    this.top = start + HBIN_HEADER_SIZE;
  }

  private ensure(n: number): void {
    if (n <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf);
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }
}
