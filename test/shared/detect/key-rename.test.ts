import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../../../shared/detect/engine';
import { isUnderAutostartParent } from '../../../shared/detect/catalog';
import type { RegistryEvent } from '../../../shared/model/events';
import { asSource, regSet, RUN_HKU } from './helpers';

const POLICIES = RUN_HKU.replace(/\\Run$/, '\\Policies\\Explorer');
const REGEDIT = 'C:\\Windows\\regedit.exe';

function keyEvent(action: 'create-key' | 'rename-key', key: string, at: number, extra: Partial<RegistryEvent> = {}): RegistryEvent {
  const base = regSet(`${key}\\x`, '', { image: REGEDIT, pid: 900, at, action: 'set-value' });
  return { ...base, eventId: action === 'create-key' ? 12 : 14, action, registryKey: key, valueName: undefined, targetObject: key, details: undefined, ...extra };
}

describe('keys renamed into an autostart location', () => {
  it('links the creation of "New Key #1" to the finding of its rename into Policies\\Explorer\\Run (Sysmon 12 + 14)', () => {
    const created = keyEvent('create-key', `${POLICIES}\\New Key #1`, 0);
    const renamed = keyEvent('rename-key', `${POLICIES}\\New Key #1`, 6, { newName: `${POLICIES}\\Run` });
    const fs = analyzeEvents([created, renamed]);
    expect(fs).toHaveLength(1);
    expect(fs[0].action).toBe('rename-key');
    expect(fs[0].correlation.keyCreated?.map((l) => l.ref)).toEqual([created.ref]);
    expect(fs[0].reasons.find((r) => r.id === 'correlation.key-created')?.explanation).toContain('New Key #1 6 s before');
  });

  it("reads the key's first name from Defender's PreviousRegistryKey", () => {
    const created = asSource(keyEvent('create-key', `${POLICIES}\\New Key #1`, 0), 'defender');
    const renamed = { ...asSource(keyEvent('rename-key', `${POLICIES}\\Run`, 4), 'defender'), previousKey: `${POLICIES}\\New Key #1` };
    const [f] = analyzeEvents([created, renamed]);
    expect(f.value).toBe(`${POLICIES}\\New Key #1 → ${POLICIES}\\Run`);
    expect(f.correlation.keyCreated?.map((l) => l.ref)).toEqual([created.ref]);
  });

  it('links no creation made after the rename, nor one of another key', () => {
    const renamed = keyEvent('rename-key', `${POLICIES}\\New Key #1`, 6, { newName: `${POLICIES}\\Run` });
    const later = keyEvent('create-key', `${POLICIES}\\New Key #1`, 10);
    const other = keyEvent('create-key', `${POLICIES}\\New Key #2`, 0);
    expect(analyzeEvents([renamed, later, other])[0].correlation.keyCreated).toBeUndefined();
  });

  it.each([
    [`${POLICIES}\\New Key #1`, true],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\New Key #1', true],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\New Key #1', true],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\New Key #1', false],
    ['HKLM\\SOFTWARE\\Contoso\\New Key #1', false],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs\\New Key #1', false],
  ])('indexes key creations under keys that hold autostart keys: %s → %s', (key, expected) => {
    expect(isUnderAutostartParent(key)).toBe(expected);
  });
});
