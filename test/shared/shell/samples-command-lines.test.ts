// The shell reader on the process starts of real third-party evidence (../shared/samples): per
// file, how many starts carry an autostart write. Negative files (HARD-NEGATIVE, NEAR-MISS,
// FP-TRAP, BENIGN*) must have none, as with the regex reader before it (0 on every such file,
// counted when the reader changed); every POSITIVE file's command-line writes are found: the
// figures below were the old reader's, and the ART reg import is read with its file.

import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, readManifest, samplePath } from '../../samples';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import { normalize } from '../../../shared/normalize/normalize';
import { commandLineWrites } from '../../../shared/detect/command-line';

const SIGMA = 'SigmaHQ_sigma/regression_data/rules/windows/process_creation/';
/** Starts with a command-line write, per POSITIVE file that has any (the regex reader's count too). */
const POSITIVE_COUNTS: Record<string, number> = {
  [`${SIGMA}proc_creation_win_reg_add_run_key/de587dce-915e-4218-aac4-835ca6af6f70.evtx`]: 1,
  [`${SIGMA}proc_creation_win_reg_add_run_key/de587dce-915e-4218-aac4-835ca6af6f70.json`]: 1,
  [`${SIGMA}proc_creation_win_user_shell_folders_registry_modification/8f3ab69a-aa22-4943-aa58-e0a52fdf6818.evtx`]: 1,
  [`${SIGMA}proc_creation_win_user_shell_folders_registry_modification/8f3ab69a-aa22-4943-aa58-e0a52fdf6818.json`]: 1,
  // reg add Run, RunOnceEx Depend, the PowerShell RunOnce cradle, the Startup .lnk, reg import T1103.reg ...
  'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx': 6,
};

async function startsWithWrites(rel: string): Promise<{ starts: number; writing: string[] }> {
  let starts = 0;
  const writing: string[] = [];
  for await (const batch of readEvidenceFile(samplePath(rel), { onProblem: () => undefined })) {
    for (const raw of batch) {
      const ev = normalize(raw);
      if (ev?.kind !== 'process' || !ev.process.commandLine) continue;
      starts++;
      if (commandLineWrites(ev.process.commandLine).length) writing.push(ev.process.commandLine);
    }
  }
  return { starts, writing };
}

describe.skipIf(!HAVE_SAMPLES)('command-line writes on ../shared/samples', () => {
  if (!HAVE_SAMPLES) console.warn(NO_SAMPLES_REASON);
  const manifest = readManifest().filter((r) => /\.(evtx|zip|json|xml|csv)$/i.test(r.path));
  const negatives = manifest.filter((r) => /^(HARD-NEGATIVE|NEAR-MISS|FP-TRAP|BENIGN|BENIGN-BASELINE|BENIGN-RUNKEY)$/.test(r.role));

  it.each(negatives.map((r) => [r.path, r.role]))('reads no write off any process start of %s (%s)', { timeout: 120_000 }, async (rel) => {
    expect((await startsWithWrites(rel)).writing).toEqual([]);
  });

  it.each(Object.entries(POSITIVE_COUNTS))('reads every command-line write of %s (%i starts)', { timeout: 120_000 }, async (rel, n) => {
    const { writing } = await startsWithWrites(rel);
    expect(writing.length, writing.join('\n')).toBe(n);
  });

  it('finds no command-line write in the other POSITIVE files either (their writes are registry or file events)', { timeout: 300_000 }, async () => {
    const others = manifest.filter((r) => r.role.startsWith('POSITIVE') && !(r.path in POSITIVE_COUNTS));
    for (const r of others) expect((await startsWithWrites(r.path)).writing, r.path).toEqual([]);
  });
});
