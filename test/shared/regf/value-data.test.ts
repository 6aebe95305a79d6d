// Value data decoding on bytes made here: strings survive exactly (lone surrogates, no
// terminator, odd lengths, data after the NUL flagged as not exact), REG_EXPAND_SZ is never
// expanded, MULTI_SZ keeps empty items inside the list, integers by size and endianness,
// unknown types and wrong sizes stay bytes.
import { describe, expect, it } from 'vitest';
import { decodeValueData, typeName } from '../../../shared/regf/value-data';
import { withPages, primaryHiveBytes } from '../../../shared/regf/hive-bytes';

const u16le = (s: string, extra: number[] = []) => {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) & 0xff, s.charCodeAt(i) >> 8);
  return new Uint8Array([...out, ...extra]);
};

describe('value data', () => {
  it('reads a REG_SZ up to its NUL, exact when the NUL is its last unit', () => {
    expect(decodeValueData(1, u16le('C:\\a.exe\0'))).toEqual({ kind: 'string', text: 'C:\\a.exe', exact: true });
    expect(decodeValueData(1, u16le('no terminator'))).toEqual({ kind: 'string', text: 'no terminator', exact: true });
    expect(decodeValueData(1, u16le('a.exe\0junk'))).toEqual({ kind: 'string', text: 'a.exe', exact: false });
    expect(decodeValueData(1, u16le('odd', [0x41]))).toEqual({ kind: 'string', text: 'odd', exact: false });
  });

  it('keeps lone surrogates as the code units stored, short and long strings alike', () => {
    expect(decodeValueData(1, u16le('x\ud800y\0'))).toEqual({ kind: 'string', text: 'x\ud800y', exact: true });
    const long = 'p'.repeat(100) + '\udc00' + 'q'.repeat(5000);
    expect(decodeValueData(2, u16le(long + '\0'))).toEqual({ kind: 'string', text: long, exact: true });
  });

  it('never expands REG_EXPAND_SZ', () => {
    expect(decodeValueData(2, u16le('%APPDATA%\\x.exe\0'))).toEqual({ kind: 'string', text: '%APPDATA%\\x.exe', exact: true });
  });

  it('splits REG_MULTI_SZ at every NUL, keeping empty items inside and dropping the terminators', () => {
    expect(decodeValueData(7, u16le('a\0b\0\0'))).toEqual({ kind: 'strings', items: ['a', 'b'], exact: true });
    // PendingFileRenameOperations: a file and an empty target (delete it), then the next pair
    expect(decodeValueData(7, u16le('\\??\\C:\\x\0\0\\??\\C:\\y\0\\??\\C:\\z\0\0'))).toEqual({ kind: 'strings', items: ['\\??\\C:\\x', '', '\\??\\C:\\y', '\\??\\C:\\z'], exact: true });
    expect(decodeValueData(7, u16le('a\0b'))).toEqual({ kind: 'strings', items: ['a', 'b'], exact: false });
    expect(decodeValueData(7, u16le('a\0\0\0\0'))).toEqual({ kind: 'strings', items: ['a'], exact: false });
    expect(decodeValueData(7, new Uint8Array(0))).toEqual({ kind: 'strings', items: [], exact: true });
  });

  it('reads DWORD little and big endian and QWORD exactly, other sizes as bytes', () => {
    expect(decodeValueData(4, new Uint8Array([1, 0, 0, 0x80]))).toEqual({ kind: 'number', value: 0x80000001 });
    expect(decodeValueData(5, new Uint8Array([0x80, 0, 0, 1]))).toEqual({ kind: 'number', value: 0x80000001 });
    expect(decodeValueData(11, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toEqual({ kind: 'qword', value: 0xffffffffffffffffn });
    expect(decodeValueData(4, new Uint8Array([1, 0]))).toEqual({ kind: 'bytes' });
    expect(decodeValueData(0xffff0012, new Uint8Array([1]))).toEqual({ kind: 'bytes' });
    expect([typeName(4), typeName(0xffff0012), typeName(12)]).toEqual(['REG_DWORD', '0xFFFF0012', '0x0000000C']);
  });
});

describe('hive bytes', () => {
  it('overlays pages on a copy, grown to the new size, leaving the evidence as it was', () => {
    const file = new Uint8Array(4096 + 8192).fill(7);
    const src = primaryHiveBytes(file);
    const out = withPages(src, [{ offset: 4096, bytes: new Uint8Array(512).fill(1) }, { offset: 12288, bytes: new Uint8Array(4096).fill(2) }], 16384);
    expect(out.bins.length).toBe(16384);
    expect([out.bins[0], out.bins[4096], out.bins[4607], out.bins[4608], out.bins[12288], out.bins[16383]]).toEqual([7, 1, 1, 7, 2, 2]);
    expect(file.every((b) => b === 7)).toBe(true);
  });
});
