// Recognises evidence from its content, never its name: binary signatures first (EVTX, zip, gzip,
// tar), then the decoded text (any of UTF-8, UTF-8 BOM, UTF-16 LE/BE with or without BOM): XML
// event exports, JSON, or a CSV whose header names columns of a known export.

import { looksLikeEvtx } from '../evtx/reader';
import { looksLikeTar } from '../archive/tar';
import { decodeHead, detectEncoding, type TextEncodingName } from './text-encoding';
import { sniffCsvHeader } from './csv-reader';

export type SniffedFormat = 'evtx' | 'zip' | 'gzip' | 'tar' | 'xml' | 'json' | 'csv' | 'empty' | 'unknown';

export interface SniffResult {
  format: SniffedFormat;
  /** For text formats. */
  encoding: TextEncodingName;
  bomLength: number;
}

/** How many leading bytes `sniffFormat` wants (it works with fewer). */
export const SNIFF_BYTES = 64 * 1024;

const EVENT_TAG = /<(?:[\w.-]+:)?Events?[\s>/]/;

export function sniffFormat(head: Uint8Array): SniffResult {
  const text = (format: SniffedFormat): SniffResult => ({ format, encoding: 'utf-8', bomLength: 0 });
  if (head.length === 0) return text('empty');
  if (looksLikeEvtx(head)) return text('evtx');
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5 || head[2] === 7) && head[3] === head[2] + 1) return text('zip');
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 8) return text('gzip');
  if (looksLikeTar(head)) return text('tar');
  const enc = detectEncoding(head);
  const s = decodeHead(head, enc).replace(/^[\s\0]+/, '');
  const as = (format: SniffedFormat): SniffResult => ({ format, encoding: enc.encoding, bomLength: enc.bomLength });
  if (s.startsWith('<')) {
    if (s.startsWith('<?xml') || EVENT_TAG.test(s)) return as('xml');
    return as('unknown');
  }
  if (s.startsWith('{') || s.startsWith('[') || s.startsWith('"')) return as('json');
  const nl = s.indexOf('\n');
  if (nl > 0 || s.length > 0) {
    const first = nl < 0 ? s : s.slice(0, nl);
    if (sniffCsvHeader(first)) return as('csv');
  }
  return as('unknown');
}
