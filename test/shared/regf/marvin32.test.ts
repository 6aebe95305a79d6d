// Marvin32 against the .NET runtime's published vectors (MarvinTests.cs: three seeds, 0-7 bytes),
// and with the registry's seed against the hashes Windows wrote in a real HvLE entry.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { marvin32 } from '../../../shared/regf/marvin32';

const SEED1 = [0x001bdbcc, 0x004fb61a];
const SEED2 = [0x001bdbcc, 0x804fb61a];
const SEED3 = [0x801bdbcc, 0x804fb61a];

// [seed, data hex, expected hash as hi << 32 | lo]
const VECTORS: [number[], string, string][] = [
  [SEED1, '', '30ED35C100CD3C7D'], [SEED1, 'af', '48E73FC77D75DDC1'], [SEED1, 'e70f', 'B5F6E1FC485DBFF8'],
  [SEED1, '37f495', 'F0B07C789B8CF7E8'], [SEED1, '8642dc59', '7008F2E87E9CF556'], [SEED1, '153fb79826', 'E6C08C6DA2AFA997'],
  [SEED1, '0932e6246c47', '6F04BF1A5EA24060'], [SEED1, 'ab427ea8d10fc7', 'E11847E4F0678C41'],
  [SEED2, '', '10A9D5D3996FD65D'], [SEED2, 'af', '68201F91960EBF91'], [SEED2, 'e70f', '64B581631F6AB378'],
  [SEED2, '37f495', 'E1F2DFA6E5131408'], [SEED2, '8642dc59', '36289D9654FB49F6'], [SEED2, '153fb79826', '0A06114B13464DBD'],
  [SEED2, '0932e6246c47', 'D6DD5E40AD1BC2ED'], [SEED2, 'ab427ea8d10fc7', 'E203987DBA252FB3'],
  [SEED3, '00', 'A37FB0DA2ECAE06C'], [SEED3, 'FF', 'FECEF370701AE054'], [SEED3, '00FF', 'A638E75700048880'],
  [SEED3, 'FF00', 'BDFB46D969730E2A'], [SEED3, 'FF00FF', '9D8577C0FE0D30BF'], [SEED3, '00FF00', '4F9FBDDE15099497'],
  [SEED3, '00FF00FF', '24EAA279D9A529CA'], [SEED3, 'FF00FF00', 'D3BEC7726B057943'], [SEED3, 'FF00FF00FF', '920B62BBCA3E0B72'],
  [SEED3, '00FF00FF00', '1D7DDF9DFDF3C1BF'], [SEED3, '00FF00FF00FF', 'EC21276A17E821A5'], [SEED3, 'FF00FF00FF00', '6911A53CA8C12254'],
  [SEED3, 'FF00FF00FF00FF', 'FDFD187B1D3CE784'], [SEED3, '00FF00FF00FF00', '71876F2EFB1B0EE8'],
];

const hex = (h: { lo: number; hi: number }) => (h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0')).toUpperCase();

describe('marvin32', () => {
  it('gives the .NET runtime\'s 30 published hashes (0-7 bytes, three seeds)', () => {
    for (const [seed, data, want] of VECTORS) {
      const buf = new Uint8Array(Buffer.from(data, 'hex'));
      expect(hex(marvin32(buf, 0, buf.length, seed[0], seed[1])), `${data} seed ${seed[1].toString(16)}${seed[0].toString(16)}`).toBe(want);
    }
  });

  it('hashes only the range it is given, wherever it lies in the buffer', () => {
    const buf = new Uint8Array(Buffer.from('ffffab427ea8d10fc7ffff', 'hex'));
    expect(hex(marvin32(buf, 2, 7, SEED1[0], SEED1[1]))).toBe('E11847E4F0678C41');
  });

  it.skipIf(!HAVE_SAMPLES)(`with the registry seed, matches Hash-1 and Hash-2 of SYSTEM_B.LOG1's first entry (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
    const log = new Uint8Array(readFileSync(samplePath('mkorman90_regipy/SYSTEM_B.LOG1')));
    const dv = new DataView(log.buffer, log.byteOffset);
    const size = dv.getUint32(512 + 4, true);
    expect(marvin32(log, 512 + 40, size - 40)).toEqual({ lo: dv.getUint32(512 + 24, true), hi: dv.getUint32(512 + 28, true) });
    expect(marvin32(log, 512, 32)).toEqual({ lo: dv.getUint32(512 + 32, true), hi: dv.getUint32(512 + 36, true) });
  });
});
