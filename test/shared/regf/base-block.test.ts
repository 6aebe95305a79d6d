// The base block on bytes made here: the XOR-32 checksum with the two values Windows never
// writes remapped (0 -> 1, 0xFFFFFFFF -> 0xFFFFFFFE), the dirty flag from the sequence numbers,
// the version range, and a buffer too short for the checksummed bytes failing TRUNCATED.
import { describe, expect, it } from 'vitest';
import { ByteDecodeError } from '../../../shared/bytes/byte-reader';
import { baseBlockChecksum, looksLikeHive, parseBaseBlock } from '../../../shared/regf/base-block';

function block(words: Record<number, number>): Uint8Array {
  const b = new Uint8Array(4096);
  const dv = new DataView(b.buffer);
  b.set([0x72, 0x65, 0x67, 0x66]);
  for (const [off, v] of Object.entries(words)) dv.setUint32(Number(off), v >>> 0, true);
  return b;
}

describe('regf base block', () => {
  it('remaps an XOR of 0 to 1 and of 0xFFFFFFFF to 0xFFFFFFFE', () => {
    expect(baseBlockChecksum(block({ 4: 0x66676572 }))).toBe(1);
    expect(baseBlockChecksum(block({ 4: 0x66676572 ^ 0xffffffff }))).toBe(0xfffffffe);
    expect(baseBlockChecksum(block({ 4: 0x66676572 ^ 0x1234 }))).toBe(0x1234);
  });

  it('reads the fields, says dirty when the sequence numbers differ, and checks the checksum', () => {
    const b = block({ 4: 5, 8: 4, 20: 1, 24: 5, 36: 0x20, 40: 0x1000 });
    new DataView(b.buffer).setUint32(508, baseBlockChecksum(b), true);
    const bb = parseBaseBlock(b);
    expect(bb).toMatchObject({ signatureOk: true, primarySequence: 5, secondarySequence: 4, sequenceDirty: true, versionOk: true, rootCellOffset: 0x20, hiveBinsDataSize: 0x1000, checksumOk: true });
    b[100] ^= 1;
    expect(parseBaseBlock(b).checksumOk).toBe(false);
    expect(parseBaseBlock(block({ 20: 1, 24: 7 })).versionOk).toBe(false);
    expect(looksLikeHive(b)).toBe(true);
    expect(looksLikeHive(new TextEncoder().encode('ElfFile'))).toBe(false);
  });

  it('fails TRUNCATED on fewer than the 512 checksummed bytes', () => {
    try {
      parseBaseBlock(new Uint8Array(300));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ByteDecodeError);
      expect((e as ByteDecodeError).code).toBe('TRUNCATED');
    }
  });
});
