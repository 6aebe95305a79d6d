// Security auditing 4657 in the Sysmon-shaped registry logsource: a real 4657 Run-key write
// (picoCTF 2025 Event-Viewing, MANIFEST role POSITIVE: HKLM Run "Immediate Shutdown (...)") must be
// seen by SigmaHQ's registry_set Run-key rule through the field table (ObjectName + ObjectValueName
// → TargetObject in HKLM\ form, NewValue → Details, ProcessName → Image).

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { samplePath } from '../../samples';
import { HAVE_SIGMA, readSample, sigmaRuleFiles } from './sigmahq-corpus';
import { evaluate, loadRuleset } from '../../../shared/sigma';
import { normalize } from '../../../shared/normalize/normalize';

const SAMPLE = samplePath('shankmsd_CTF_Writeups/picoCTF-2025/Forensics/Event-Viewing.events.xml');
const HAVE = HAVE_SIGMA && existsSync(SAMPLE);
if (!HAVE) console.warn(`[skip] ${SAMPLE} or the SigmaHQ rules are absent`);

describe.skipIf(!HAVE)('SigmaHQ rules on a real Security 4657 event', () => {
  it('fires the registry_set "CurrentVersion Autorun Keys Modification" rule on the Run-key write', async () => {
    const { ruleset } = loadRuleset(sigmaRuleFiles(['rules/windows/registry']));
    const { events, problems } = await readSample(SAMPLE);
    expect(problems).toEqual([]);
    const hits: string[] = [];
    let writes = 0;
    for (const raw of events) {
      const ev = normalize(raw);
      if (ev?.kind !== 'registry' || ev.source !== 'security') continue;
      writes++;
      expect(ev.targetObject).toMatch(/^HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Immediate Shutdown/);
      for (const h of evaluate(ruleset, ev, raw)) hits.push(`${h.rule.id} ${h.logsource}`);
    }
    expect(writes).toBe(1);
    expect(hits).toContain('20f0ee37-5942-4e45-b7d5-c5b5db9df5cd windows/registry_set');
  });
});
