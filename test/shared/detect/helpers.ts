// Builders for normalized events in detection tests: the smallest events that carry what a test
// is about, with canonical paths made the way the normalizer makes them.

import type { FileEvent, ProcessEvent, RegistryEvent } from '../../../shared/model/events';
import { canonicalRegistryPath, splitValuePath } from '../../../shared/model/registry-path';

let seq = 0;
const BASE = Date.UTC(2024, 0, 10, 12, 0, 0);

function common(host: string, offsetSec: number) {
  seq++;
  const ms = BASE + offsetSec * 1000;
  return {
    key: `test.evtx#r${seq}`, ref: { file: 'test.evtx', format: 'evtx' as const, recordId: seq },
    host, time: new Date(ms).toISOString(), timeMs: ms, source: 'sysmon' as const, provider: 'Microsoft-Windows-Sysmon',
  };
}

export interface RegOpts {
  host?: string;
  image?: string;
  guid?: string;
  pid?: number;
  at?: number;
  user?: string;
  action?: RegistryEvent['action'];
}

/** A Sysmon 13 SetValue on a TargetObject (key\\value). */
export function regSet(targetObject: string, details: string, o: RegOpts = {}): RegistryEvent {
  const canonical = canonicalRegistryPath(targetObject);
  const { key, valueName } = splitValuePath(canonical);
  return {
    ...common(o.host ?? 'WS1', o.at ?? 0), kind: 'registry', eventId: o.action === 'delete-value' ? 12 : 13,
    action: o.action ?? 'set-value', registryKey: key, valueName, targetObject: canonical, originalPath: targetObject,
    details: o.action === 'delete-value' ? undefined : details, user: o.user,
    process: { image: o.image ?? 'C:\\Windows\\system32\\reg.exe', processGuid: o.guid, pid: o.pid ?? 4242 },
  };
}

export interface ProcOpts {
  host?: string;
  guid?: string;
  pid?: number;
  parentGuid?: string;
  parentImage?: string;
  parentCommandLine?: string;
  at?: number;
  user?: string;
  hashes?: string;
}

export function procStart(image: string, commandLine: string, o: ProcOpts = {}): ProcessEvent {
  return {
    ...common(o.host ?? 'WS1', o.at ?? 0), kind: 'process', eventId: 1, user: o.user,
    process: { image, commandLine, processGuid: o.guid, pid: o.pid ?? 4242, hashes: o.hashes },
    parent: { image: o.parentImage ?? 'C:\\Windows\\System32\\cmd.exe', processGuid: o.parentGuid, commandLine: o.parentCommandLine },
  };
}

export function fileCreate(path: string, image: string, o: { host?: string; at?: number; guid?: string } = {}): FileEvent {
  return {
    ...common(o.host ?? 'WS1', o.at ?? 0), kind: 'file', eventId: 11, action: 'create', targetFilename: path,
    process: { image, processGuid: o.guid, pid: 777 },
  };
}

export const RUN_HKU = 'HKU\\S-1-5-21-3461203602-4096304019-2269080069-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';
export const RUN_HKLM = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run';

/** UTF-16LE Base64, as PowerShell's -EncodedCommand expects. */
export function psEncode(script: string): string {
  const bytes = Buffer.from(script, 'utf16le');
  return bytes.toString('base64');
}

/** The same write as another source logs it: Security 4657 (no ProcessGuid) or a Defender row. */
export function asSource<T extends RegistryEvent | ProcessEvent>(ev: T, source: 'security' | 'defender', o: { host?: string; file?: string; at?: number } = {}): T {
  const base = common(o.host ?? ev.host, 0);
  const file = o.file ?? (source === 'security' ? 'WS1-Security.evtx' : 'DeviceRegistryEvents.csv');
  const ref = source === 'security' ? { file, format: 'evtx' as const, recordId: base.ref.recordId } : { file, format: 'csv' as const, line: base.ref.recordId };
  const timeMs = o.at !== undefined ? ev.timeMs + o.at * 1000 : ev.timeMs;
  const eventId = ev.kind === 'process' ? (source === 'security' ? 4688 : undefined) : source === 'security' ? 4657 : undefined;
  return {
    ...ev, key: `${file}#${base.ref.recordId}`, ref, source, host: o.host ?? ev.host, eventId,
    time: new Date(timeMs).toISOString(), timeMs, process: { ...ev.process, processGuid: undefined },
  };
}
