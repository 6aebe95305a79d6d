// Test helper: parse the XML that libevtx's evtxexport and python-evtx's evtx_dump.py print, and
// compare a record with what the generator wrote, allowing only for how each tool renders types
// (GUID case, zero-padded hex, time precision, numeric character references).

import type { WinRecord } from '../../../shared/generator/render/windows-event';
import { renderValue } from '../../../shared/generator/writers/xml-writer';

export interface ToolRecord {
  recordId: number;
  eventId: number;
  provider: string;
  channel: string;
  computer: string;
  time: string;
  userId?: string;
  data: Map<string, string>;
}

function unescape(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

const tag = (block: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(block)?.[1];
const attr = (block: string, el: string, a: string) => new RegExp(`<${el}\\b[^>]*\\b${a}=["']([^"']*)["']`).exec(block)?.[1];

export function parseToolXml(xml: string): ToolRecord[] {
  const out: ToolRecord[] = [];
  for (const block of xml.split(/<Event[\s>]/).slice(1)) {
    const data = new Map<string, string>();
    for (const m of block.matchAll(/<Data Name=["']([^"']+)["']\s*(?:\/>|>([^<]*)<\/Data>)/g)) data.set(m[1], unescape(m[2] ?? ''));
    out.push({
      recordId: Number(tag(block, 'EventRecordID')), eventId: Number(tag(block, 'EventID')), provider: attr(block, 'Provider', 'Name') ?? '',
      channel: unescape(tag(block, 'Channel') ?? ''), computer: unescape(tag(block, 'Computer') ?? ''), time: attr(block, 'TimeCreated', 'SystemTime') ?? '',
      userId: attr(block, 'Security', 'UserID'), data,
    });
  }
  return out;
}

/** A data value in a form every tool agrees on. */
export function canonicalValue(type: string, v: string): string {
  if (type === 'guid') return v.toLowerCase();
  if (type === 'hex64') return BigInt(v.startsWith('0x') || v.startsWith('0X') ? v : `0x${v}`).toString(16);
  return v;
}

/** 100 ns ticks after the epoch second from an ISO-ish time with up to 9 fractional digits. */
export function timeParts(s: string): { second: number; frac100ns: number; digits: number } {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(s);
  if (!m) return { second: NaN, frac100ns: NaN, digits: 0 };
  const frac = m[3] ?? '';
  return { second: Date.parse(`${m[1]}T${m[2]}Z`), frac100ns: Math.floor(Number((frac + '0000000').slice(0, 7))), digits: frac.length };
}

/** Differences between the written record and what a tool returned ([] when they agree). */
export function diffRecord(exp: WinRecord, got: ToolRecord): string[] {
  const d: string[] = [];
  const at = `record ${exp.recordId}`;
  if (got.recordId !== exp.recordId) d.push(`${at}: record id ${got.recordId}`);
  if (got.eventId !== exp.eventId) d.push(`${at}: event id ${got.eventId}`);
  if (got.provider !== exp.provider) d.push(`${at}: provider ${got.provider}`);
  if (got.channel !== exp.channelName) d.push(`${at}: channel ${got.channel}`);
  if (got.computer !== exp.host.fqdn) d.push(`${at}: computer ${got.computer}`);
  if ((got.userId ?? undefined) !== exp.userSid) d.push(`${at}: user id ${got.userId}`);
  const t = timeParts(got.time);
  const expSecond = Math.floor(exp.ms / 1000) * 1000;
  const expFrac = (exp.ms % 1000) * 10000 + exp.sub;
  // python-evtx prints microseconds, converted through a float (errors of a few µs at 2026 dates)
  const tolerance = t.digits >= 7 ? 0 : 100;
  if (t.second !== expSecond || Math.abs(t.frac100ns - expFrac) > tolerance) d.push(`${at}: time ${got.time} (expected ${expFrac})`);
  if (got.data.size !== exp.data.length) d.push(`${at}: ${got.data.size} data items, expected ${exp.data.length}`);
  for (const item of exp.data) {
    const v = got.data.get(item.name);
    if (v === undefined) {
      d.push(`${at}: missing ${item.name}`);
      continue;
    }
    if (canonicalValue(item.type, v) !== canonicalValue(item.type, renderValue(item))) d.push(`${at}: ${item.name} = ${JSON.stringify(v)}, expected ${JSON.stringify(renderValue(item))}`);
  }
  return d;
}
