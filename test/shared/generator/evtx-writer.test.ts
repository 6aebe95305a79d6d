// The EVTX writer's on-disk structures, checked independently of any reader: header and chunk
// CRC32s (computed with node:zlib), record framing, template definitions written once per shape
// per chunk and referenced afterwards, and the chunk string table's hash buckets.

import { describe, expect, it } from 'vitest';
import { crc32 as zcrc32 } from 'node:zlib';
import { generateToMemory } from '../../../shared/generator/generate';
import { nameHash } from '../../../shared/generator/evtx-writer/byte-writer';
import { crc32 } from '../../../shared/bytes/crc32';

const SEED = 99;
const { files } = generateToMemory({ scenario: 'mixed', seed: SEED, hosts: 2, events: 600, format: 'evtx' });
const sysmon = [...files].find(([n]) => n.endsWith('-Sysmon.evtx'))?.[1] as Uint8Array;
const dv = new DataView(sysmon.buffer, sysmon.byteOffset, sysmon.byteLength);
const u32 = (o: number) => dv.getUint32(o, true);
const u16 = (o: number) => dv.getUint16(o, true);
const nChunks = (sysmon.length - 4096) / 65536;

function utf16(o: number, chars: number): string {
  let s = '';
  for (let i = 0; i < chars; i++) s += String.fromCharCode(u16(o + i * 2));
  return s;
}

describe('EVTX writer structures', () => {
  it('computes CRC-32 like zlib', () => {
    const bytes = new TextEncoder().encode('ElfChnk and some records');
    expect(crc32(bytes)).toBe(zcrc32(bytes));
    expect(crc32(bytes, 10, bytes.length, crc32(bytes, 0, 10))).toBe(zcrc32(bytes));
  });

  it('writes a file header with magic, version 3.2, chunk count, next record id and a valid CRC', () => {
    expect(new TextDecoder().decode(sysmon.subarray(0, 8))).toBe('ElfFile\0');
    expect(Number.isInteger(nChunks) && nChunks > 1).toBe(true);
    expect(u16(36)).toBe(2);
    expect(u16(38)).toBe(3);
    expect(u16(40)).toBe(4096);
    expect(u16(42)).toBe(nChunks);
    expect(Number(dv.getBigUint64(16, true))).toBe(nChunks - 1);
    expect(u32(124)).toBe(zcrc32(sysmon.subarray(0, 120)));
  });

  it('seals every chunk: header CRC over bytes 0-120 and 128-512, records CRC up to the free-space offset', () => {
    let nextId = -1;
    for (let c = 0; c < nChunks; c++) {
      const base = 4096 + c * 65536;
      const chunk = sysmon.subarray(base, base + 65536);
      expect(new TextDecoder().decode(chunk.subarray(0, 8))).toBe('ElfChnk\0');
      const free = u32(base + 48);
      expect(u32(base + 52)).toBe(zcrc32(chunk.subarray(512, free)));
      expect(u32(base + 124)).toBe(zcrc32(chunk.subarray(128, 512), zcrc32(chunk.subarray(0, 120))));
      // records are back to back from 512 to the free-space offset, ids consecutive across chunks
      let off = 512;
      let last = 0;
      while (off < free) {
        expect(u32(base + off)).toBe(0x2a2a);
        const size = u32(base + off + 4);
        expect(size % 8).toBe(0);
        expect(u32(base + off + size - 4)).toBe(size);
        const id = Number(dv.getBigUint64(base + off + 8, true));
        if (nextId >= 0) expect(id).toBe(nextId);
        nextId = id + 1;
        last = off;
        off += size;
      }
      expect(off).toBe(free);
      expect(u32(base + 44)).toBe(last);
      expect(Number(dv.getBigUint64(base + 16, true))).toBe(nextId - 1);
    }
    expect(Number(dv.getBigUint64(24, true))).toBe(nextId);
  });

  it('defines each template once per chunk and references it from later records of the same shape', () => {
    for (let c = 0; c < nChunks; c++) {
      const base = 4096 + c * 65536;
      const free = u32(base + 48);
      const defined = new Map<number, number>(); // template id → definition offset
      let refs = 0;
      for (let off = 512; off < free; off += u32(base + off + 4)) {
        const ti = off + 24 + 4;
        expect(sysmon[base + ti]).toBe(0x0c);
        const id = u32(base + ti + 2);
        const defOffset = u32(base + ti + 6);
        if (defOffset === ti + 10) {
          expect(defined.has(id), `template ${id} defined twice in chunk ${c}`).toBe(false);
          defined.set(id, defOffset);
          // the definition's GUID starts with the template id
          expect(u32(base + defOffset + 4)).toBe(id);
        } else {
          expect(defined.get(id), `chunk ${c}: reference to an undefined template`).toBe(defOffset);
          refs++;
        }
      }
      expect(refs).toBeGreaterThan(defined.size);
      // every definition is reachable from the template table
      const fromTable = new Set<number>();
      for (let b = 0; b < 32; b++) for (let o = u32(base + 384 + b * 4); o; o = u32(base + o)) fromTable.add(o);
      expect(fromTable).toEqual(new Set(defined.values()));
    }
  });

  it('links every element and attribute name into the string-table bucket of its hash', () => {
    const base = 4096;
    const names: string[] = [];
    for (let b = 0; b < 64; b++) {
      for (let o = u32(base + 128 + b * 4); o; o = u32(base + o)) {
        const hash = u16(base + o + 4);
        const name = utf16(base + o + 8, u16(base + o + 6));
        expect(hash).toBe(nameHash(name));
        expect(hash % 64).toBe(b);
        names.push(name);
      }
    }
    expect(names).toEqual(expect.arrayContaining(['Event', 'System', 'Provider', 'EventData', 'Data', 'Name', 'TimeCreated', 'SystemTime']));
    expect(new Set(names).size).toBe(names.length);
  });
});
