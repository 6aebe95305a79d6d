// The engine on real third-party evidence (../shared/samples), read through readEvidence. The
// expected persistence writes of each POSITIVE file were read off the file's own events (listed
// below with what they are); every one must be a finding of medium or higher. Files whose role says
// they hold no T1547.001 persistence must yield nothing above low.

import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, readManifest, samplePath } from '../../samples';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import { normalize } from '../../../shared/normalize/normalize';
import { CaseCollector } from '../../../shared/detect/engine';
import { severityRank, type Finding } from '../../../shared/model/finding';
import { buildReport, REPORT_SCHEMA } from '../../../shared/export/report';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateReport = ajv.compile(REPORT_SCHEMA);

async function scan(rel: string): Promise<Finding[]> {
  const c = new CaseCollector();
  const gen = readEvidenceFile(samplePath(rel), { onProblem: () => undefined });
  for await (const batch of gen) for (const raw of batch) {
    const ev = normalize(raw);
    if (ev) c.add(ev);
  }
  return c.analyze();
}

const atLeast = (f: Finding, s: Parameters<typeof severityRank>[0]) => severityRank(f.severity) >= severityRank(s);

interface Expected {
  location: string;
  /** Substring of the value (or Startup file) that identifies the write. */
  value: string;
}

const SBOUSSEADEN = 'sbousseaden_EVTX-ATTACK-SAMPLES/';
const SIGMA = 'SigmaHQ_sigma/regression_data/rules/windows/';
const OTRF = 'OTRF_Security-Datasets/datasets/';

const POSITIVES: Record<string, Expected[]> = {
  // Atomic Red Team T1547.001 via reg.exe (Run, RunOnceEx Depend), PowerShell RunOnce cradle, Startup .lnk
  [`${SBOUSSEADEN}AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx`]: [
    { location: 'run', value: 'AtomicRedTeam.exe' },
    { location: 'runonceex', value: 'AtomicRedTeam.dll' },
    { location: 'runonce', value: 'DownloadString' },
    { location: 'startup-folder', value: 'Notepad.lnk' },
  ],
  [`${SBOUSSEADEN}Persistence/evasion_persis_hidden_run_keyvalue_sysmon_13.evtx`]: [{ location: 'run', value: 'taskhost.exe' }],
  [`${SBOUSSEADEN}Persistence/persistence_startup_UserShellStartup_Folder_Changed_sysmon_13.evtx`]: [{ location: 'shell-folders-startup', value: 'StartupNewHomeAddress' }],
  [`${SBOUSSEADEN}Lateral Movement/LM_tsclient_startup_folder.evtx`]: [{ location: 'startup-folder', value: 'Startup\\cmd.exe' }],
  [`${SBOUSSEADEN}Lateral Movement/lateral_movement_startup_3_11.evtx`]: [{ location: 'startup-folder', value: 'onedrive.exe' }],
  [`${SBOUSSEADEN}Defense Evasion/sysmon_2_11_evasion_timestomp_MACE.evtx`]: [{ location: 'startup-folder', value: 'bs.ps1' }],
  [`${SIGMA}process_creation/proc_creation_win_reg_add_run_key/de587dce-915e-4218-aac4-835ca6af6f70.evtx`]: [{ location: 'run', value: 'sihostt.exe' }],
  [`${SIGMA}process_creation/proc_creation_win_reg_add_run_key/de587dce-915e-4218-aac4-835ca6af6f70.json`]: [{ location: 'run', value: 'sihostt.exe' }],
  [`${SIGMA}process_creation/proc_creation_win_user_shell_folders_registry_modification/8f3ab69a-aa22-4943-aa58-e0a52fdf6818.evtx`]: [{ location: 'shell-folders-startup', value: 'calc.exe' }],
  [`${SIGMA}process_creation/proc_creation_win_user_shell_folders_registry_modification/8f3ab69a-aa22-4943-aa58-e0a52fdf6818.json`]: [{ location: 'shell-folders-startup', value: 'calc.exe' }],
  [`${SIGMA}registry/registry_set/registry_set_susp_user_shell_folders/9c226817-8dc9-46c2-a58d-66655aafd7dc.evtx`]: [{ location: 'shell-folders-startup', value: 'calc.exe' }],
  [`${SIGMA}registry/registry_set/registry_set_susp_user_shell_folders/9c226817-8dc9-46c2-a58d-66655aafd7dc.json`]: [{ location: 'shell-folders-startup', value: 'calc.exe' }],
  // the .hta written into the Startup folder (the mshta command lines in this file run it: executions)
  [`${OTRF}atomic/windows/defense_evasion/host/psh_mshta_html_application_execution.zip`]: [{ location: 'startup-folder', value: 'T1218.005.hta' }],
  [`${OTRF}atomic/windows/persistence/host/empire_persistence_registry_modification_run_keys_standard_user.zip`]: [{ location: 'run', value: '-enc $x' }],
  ['shankmsd_CTF_Writeups/picoCTF-2025/Forensics/Event-Viewing.events.xml']: [{ location: 'run', value: 'custom_shutdown.exe' }],
};

/** Legitimate Run writes in POSITIVE+BENIGN-RUNKEY / BENIGN-RUNKEY files: low or baselined. */
const BENIGN_WRITES: Record<string, string[]> = {
  [`${OTRF}atomic/windows/persistence/host/empire_persistence_registry_modification_run_keys_standard_user.zip`]: ['MSASCuiL.exe'],
  [`${OTRF}atomic/windows/lateral_movement/host/empire_dcom_shellwindows_stager.zip`]: ['Teams\\Update.exe'],
};

describe.skipIf(!HAVE_SAMPLES)('detection on ../shared/samples', () => {
  if (!HAVE_SAMPLES) console.warn(NO_SAMPLES_REASON);
  const manifest = readManifest();
  const roleOf = (p: string) => manifest.find((r) => r.path === p)?.role;

  it('lists every POSITIVE file of the manifest in the expectations', () => {
    const positives = manifest.filter((r) => r.role.startsWith('POSITIVE') && r.role !== 'POSITIVE-EXEC').map((r) => r.path);
    expect(positives.filter((p) => !(p in POSITIVES))).toEqual([]);
  });

  it.each(Object.entries(POSITIVES))('finds every persistence write in %s at medium or higher', async (rel, expected) => {
    expect(roleOf(rel)).toMatch(/^POSITIVE/);
    const fs = await scan(rel);
    for (const e of expected) {
      const hit = fs.find((f) => f.location === e.location && f.value.toLowerCase().includes(e.value.toLowerCase()));
      expect(hit, `${e.location} ${e.value}`).toBeDefined();
      expect(hit && atLeast(hit, 'medium'), `${e.location} ${e.value}: ${hit?.severity}`).toBe(true);
      expect(hit?.attack[0]).toBe('T1547.001');
      expect(hit?.evidence.ref.recordId ?? hit?.evidence.ref.line).toBeDefined();
    }
    // the report of real findings meets its published schema (a writer read off a Sysmon 1 start
    // once carried the start's current directory and integrity level, which it has no place for)
    const report = buildReport({ findings: fs, events: 0, analysisTime: new Date(0), problems: [], inputs: [], settings: { minSeverity: 'informational' } });
    expect(validateReport(JSON.parse(JSON.stringify(report))), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it.each(Object.entries(BENIGN_WRITES))('keeps the legitimate Run writes in %s low or baselined', async (rel, values) => {
    const fs = await scan(rel);
    for (const v of values) {
      const f = fs.find((x) => x.value.includes(v));
      expect(f, v).toBeDefined();
      expect(f && (!atLeast(f, 'medium') || f.baseline.status === 'baselined'), `${v}: ${f?.severity} ${f?.baseline.status}`).toBe(true);
    }
  });

  const negatives = manifest.filter((r) => /^(HARD-NEGATIVE|NEAR-MISS|FP-TRAP|BENIGN|BENIGN-BASELINE|BENIGN-RUNKEY)$/.test(r.role) && /\.(evtx|zip|json|xml|csv)$/i.test(r.path));
  it.each(negatives.map((r) => [r.path, r.role]))('finds nothing above low in %s (%s)', async (rel) => {
    const fs = await scan(rel);
    const loud = fs.filter((f) => atLeast(f, 'medium'));
    expect(loud.map((f) => `${f.severity} ${f.location} ${f.value}`)).toEqual([]);
  });
});
