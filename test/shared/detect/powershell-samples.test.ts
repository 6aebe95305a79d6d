// Real PowerShell logs that hold no autostart write (../shared/samples): every one of their
// PowerShell records is now read (4103 / 4104 / 400 / 800), and none gains a finding at medium or
// above, neither a script-basis finding nor the safety net's. Before PowerShell logs were read
// these files had 0 PowerShell records normalized and 0 findings at medium or above; the record
// counts below are what the readers give (nxlog JSON in the OTRF zips, EVTX in the others), so a
// reader or classifier change that drops records shows here.

import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, readManifest, samplePath } from '../../samples';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import { normalize } from '../../../shared/normalize/normalize';
import { CaseCollector } from '../../../shared/detect/engine';
import { severityRank } from '../../../shared/model/finding';

const OTRF = 'OTRF_Security-Datasets/datasets/';
const MDEC = 'mdecrevoisier_EVTX-to-MITRE-Attack/';

/** PowerShell records each file holds (as read), and its role in the manifest. */
const FILES: ReadonlyArray<readonly [string, number]> = [
  [`${OTRF}atomic/windows/defense_evasion/host/empire_monologue_netntlm_downgrade.zip`, 272],
  [`${OTRF}atomic/windows/defense_evasion/host/reg_disable_eventlog_service_startuptype_modification_via_registry.zip`, 55],
  [`${OTRF}atomic/windows/lateral_movement/host/empire_dcom_shellwindows_stager.zip`, 575],
  [`${OTRF}compound/LSASS_campaign_01/metasploit_logonpasswords_lsass_memory_dump.zip`, 1053],
  [`${MDEC}TA0003-Persistence/T1546-Event Triggered Execution/ID800-4103-4104-WMI registration via PowerLurk.evtx`, 10],
  [`${MDEC}TA0003-Persistence/T1574-Hijack Execution Flow/ID800-4103-4104-Print spooler privilege escalation (CVE-2020-1048).evtx`, 10],
  [`${MDEC}TA0005-Defense Evasion/T1562.004-Impair Defenses-Disable or Modify System Firewall/ID800-4103-Firewall disabled.evtx`, 10],
  [`${MDEC}TA0002-Execution/T1059.001-PowerShell/ID800-4103-Interactive PipeShell over named pipe (server and client).evtx`, 30],
];

describe.skipIf(!HAVE_SAMPLES)('PowerShell logs of ../shared/samples without autostart writes', () => {
  if (!HAVE_SAMPLES) console.warn(NO_SAMPLES_REASON);
  const roles = new Map(readManifest().map((r) => [r.path, r.role]));

  it.each(FILES)('reads every PowerShell record of %s (%i) and finds nothing at medium or above', async (rel, records) => {
    // none of these is a persistence sample
    expect(roles.get(rel) ?? '').toMatch(/^(HARD-NEGATIVE|BENIGN-RUNKEY|PARSER-STRESS)$/);
    const c = new CaseCollector();
    let ps = 0;
    for await (const batch of readEvidenceFile(samplePath(rel), { onProblem: () => undefined })) for (const raw of batch) {
      const ev = normalize(raw);
      if (!ev) continue;
      if (ev.source === 'powershell') ps++;
      c.add(ev);
    }
    expect(ps).toBe(records);
    const fs = c.analyze();
    expect(fs.filter((f) => f.basis === 'script' || f.reasons.some((r) => r.id === 'command-line.unread-write')).map((f) => f.value)).toEqual([]);
    expect(fs.filter((f) => severityRank(f.severity) >= severityRank('medium')).map((f) => `${f.severity} ${f.location} ${f.value}`)).toEqual([]);
  }, 120_000);
});
