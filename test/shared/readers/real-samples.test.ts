import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, readManifest, samplePath } from '../../samples';
import { normalize } from '../../../shared/normalize/normalize';
import type { RegistryEvent } from '../../../shared/model/events';
import { readBytes } from './read-helpers';

const d = HAVE_SAMPLES ? describe : describe.skip;
if (!HAVE_SAMPLES) console.warn(`[skip] real-sample reader tests: ${NO_SAMPLES_REASON}`);

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (n.endsWith('.json')) out.push(p);
  }
  return out;
}

d('real evidence samples', () => {
  const manifest = readManifest();
  const row = (rel: string) => manifest.find((r) => r.path === rel);

  it('reads every SigmaHQ regression JSON: counts match the MANIFEST and the "Event" objects in the file', async () => {
    const files = walk(samplePath('SigmaHQ_sigma/regression_data'));
    expect(files.length).toBeGreaterThan(100);
    let checkedManifest = 0;
    for (const f of files) {
      const r = await readBytes(new Uint8Array(readFileSync(f)), f);
      expect(r.problems, f).toEqual([]);
      const text = readFileSync(f, 'utf8');
      expect(r.events.length, f).toBe(text.split('"Event": {').length - 1);
      for (const e of r.events) {
        expect(e.layout).toBe('windows-event');
        expect(e.system.eventId, f).toBeTypeOf('number');
        expect(e.system.timeCreated, f).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      }
      const m = row(f.slice(samplePath('').length + 1));
      if (m && m.eventsTotal > 0) {
        expect(r.events.length, f).toBe(m.eventsTotal);
        checkedManifest++;
      }
    }
    expect(checkedManifest).toBeGreaterThan(10);
  });

  it('finds the Security 4657 Run-key write in the picoCTF XML', async () => {
    const f = samplePath('shankmsd_CTF_Writeups/picoCTF-2025/Forensics/Event-Viewing.events.xml');
    const r = await readBytes(new Uint8Array(readFileSync(f)), f);
    expect(r.problems).toEqual([]);
    expect(r.events.length).toBe(3);
    const reg = r.events.map(normalize).filter((n): n is RegistryEvent => n?.kind === 'registry');
    expect(reg.length).toBe(1);
    expect(reg[0]).toMatchObject({ eventId: 4657, registryKey: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', details: 'C:\\Program Files (x86)\\Totally_Legit_Software\\custom_shutdown.exe', time: '2024-07-15T15:56:19.1031964Z' });
  });

  it('reads the OTRF Empire Run-key zip: per-id counts equal the MANIFEST and the HKCU Run "Updater" write is there', async () => {
    const rel = 'OTRF_Security-Datasets/datasets/atomic/windows/persistence/host/empire_persistence_registry_modification_run_keys_standard_user.zip';
    const m = row(rel);
    const r = await readBytes(new Uint8Array(readFileSync(samplePath(rel))), rel);
    expect(r.problems).toEqual([]);
    expect(r.events.length).toBe(m?.eventsTotal);
    const count = (ch: string, id: number) => r.events.filter((e) => e.system.channel === ch && e.system.eventId === id).length;
    const sysmon = 'Microsoft-Windows-Sysmon/Operational';
    expect(count(sysmon, 12)).toBe(Number(m?.raw.sysmon_12));
    expect(count(sysmon, 13)).toBe(Number(m?.raw.sysmon_13));
    expect(count(sysmon, 1)).toBe(Number(m?.raw.sysmon_1));
    expect(count('Security', 4657)).toBe(Number(m?.raw.sec_4657));
    expect(count('Security', 4688)).toBe(Number(m?.raw.sec_4688));
    const runWrites = r.events
      .map(normalize)
      .filter((n): n is RegistryEvent => n?.kind === 'registry' && n.eventId === 13 && /\\CurrentVersion\\Run\\/i.test(n.targetObject));
    const updater = runWrites.find((n) => n.valueName === 'Updater');
    expect(updater?.targetObject).toMatch(/^HKU\\S-1-5-21-[\d-]+\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater$/i);
    expect(updater?.ref.member).toMatch(/\.json$/);
    // Sysmon's own UtcTime is the event time (nxlog EventTime is local time without a zone)
    expect(updater?.time).toMatch(/^2020-09-04T\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('reads the ClickFix Defender CSVs: row counts equal the MANIFEST, registry keys canonical HKU\\<SID>', async () => {
    for (const rel of ['SYNTHETIC_aytankhalilova_ClickFix-MDE/test/clickfix_DeviceRegistryEvents.csv', 'SYNTHETIC_aytankhalilova_ClickFix-MDE/build/clickfix_rule_DeviceRegistryEvents.csv']) {
      const r = await readBytes(new Uint8Array(readFileSync(samplePath(rel))), rel);
      expect(r.problems).toEqual([]);
      expect(r.events.length).toBe(row(rel)?.eventsTotal);
      expect(r.events.every((e) => e.layout === 'defender' && e.table === 'DeviceRegistryEvents')).toBe(true);
      const reg = r.events.map(normalize).filter((n): n is RegistryEvent => n?.kind === 'registry');
      expect(reg.length).toBe(r.events.length);
      expect(reg.every((n) => /^(HKU\\S-1-5-21-[\d-]+|HKCU|HKLM)\\Software\\/i.test(n.registryKey))).toBe(true);
      const perUser = r.events.filter((e) => String(e.data.RegistryKey).startsWith('HKEY_USERS\\S-1-5-21-'));
      expect(perUser.length).toBeGreaterThan(0);
      for (const e of perUser) expect(normalize(e)).toMatchObject({ registryKey: String(e.data.RegistryKey).replace(/^HKEY_USERS\\/, 'HKU\\') });
      expect(reg.filter((n) => /\\CurrentVersion\\Run$/i.test(n.registryKey)).length).toBe(row(rel)?.runkeyHits);
    }
  });
});
