// `runkey-hunter scan --sigma DIR`: the analyst's Sigma rules (every .yml / .yaml under DIR) are
// evaluated on every event and their hits go to the case stage: a hit on the event of an engine
// finding is a reason of it (`sigma:<rule id>`), any other hit a 'sigma' finding; rules the engine
// cannot run are one stderr line. Expected hits are what the Sigma engine finds on the same file
// in-process.

import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Command } from 'commander';
import { registerScanCommand } from '../../../electron/cli/scan-command';
import { runScanCaptured } from './run-scan';
import { readSigmaFolder } from '../../../electron/backend/sigma-folder';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import { normalize } from '../../../shared/normalize/normalize';
import { evaluate, loadRuleset } from '../../../shared/sigma/index';
import { HAVE_SAMPLES, samplePath } from '../../samples';
import type { Finding } from '../../../shared/model/finding';
import { reportedHits } from '../backend/helpers';

const PANACHE = 'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx';
const RULES = 'SigmaHQ_sigma/rules/windows/registry/registry_set';
const RULE_FILE = `${RULES}/registry_set_susp_user_shell_folders.yml`;
const SAMPLES = [
  'sbousseaden_EVTX-ATTACK-SAMPLES/Persistence/persistence_startup_UserShellStartup_Folder_Changed_sysmon_13.evtx',
  'SigmaHQ_sigma/regression_data/rules/windows/registry/registry_set/registry_set_susp_user_shell_folders/9c226817-8dc9-46c2-a58d-66655aafd7dc.evtx',
];

const run = runScanCaptured;

async function inProcessHits(rulesDir: string, file: string): Promise<Set<string>> {
  const { ruleset } = loadRuleset((await readSigmaFolder(rulesDir)).files);
  const hits = new Set<string>();
  for await (const batch of readEvidenceFile(file, { onProblem: () => undefined })) {
    for (const raw of batch) {
      const ev = normalize(raw);
      if (ev) for (const h of evaluate(ruleset, ev, raw)) hits.add(`${h.rule.id}|${h.eventKey}`);
    }
  }
  return hits;
}

describe.skipIf(!HAVE_SAMPLES)('runkey-hunter scan --sigma on SigmaHQ rules', () => {
  it.each(SAMPLES)('scores the hits of the registry_set rules on %s into the findings, the shell-folder rule by its title', async (sample) => {
    const rule = parse(readFileSync(samplePath(RULE_FILE), 'utf8')) as { id: string; title: string };
    const expected = await inProcessHits(samplePath(RULES), samplePath(sample));
    expect([...expected].some((k) => k.startsWith(`${rule.id}|`))).toBe(true);

    const r = await run([samplePath(sample)], { sigma: samplePath(RULES) });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { findings: Finding[]; settings: { options: Record<string, unknown> } };
    const shown = reportedHits(report.findings);
    for (const hit of expected) expect(shown).toContain(hit);
    // the shell-folder write is the engine's own finding: the rule is a reason of it, by its title,
    // and no second finding for the same record
    const write = report.findings.find((f) => f.reasons.some((x) => x.id === `sigma:${rule.id}`));
    expect(write?.basis).not.toBe('sigma');
    expect(write?.reasons.map((x) => x.title)).toContain(`Sigma: ${rule.title}`);
    expect(report.findings.filter((f) => f.evidence.key === write?.evidence.key)).toHaveLength(1);
    // the same scan without the rules scores that write lower
    const plain = JSON.parse((await run([samplePath(sample)])).out) as { findings: Finding[] };
    const before = plain.findings.find((f) => f.evidence.key === write?.evidence.key);
    expect(before).toBeDefined();
    expect(write?.score).toBeGreaterThan(before?.score ?? Infinity);
    expect(report.settings.options.sigma).toMatchObject({ folder: samplePath(RULES) });
  });

  it('summarises unsupported rules on one stderr line with file:line and the reason code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rkh-sigma-'));
    mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
    // one good rule (copied from the SigmaHQ folder into a temp dir, never into the repo) and five it cannot run
    writeFileSync(join(dir, 'nested', 'deeper', 'good.yaml'), readFileSync(samplePath(RULE_FILE)));
    const agg = (i: number) => `title: agg ${i}\nid: 00000000-0000-4000-8000-00000000a${String(i).padStart(3, '0')}\nlogsource:\n    category: registry_set\n    product: windows\ndetection:\n    selection:\n        EventType: SetValue\n    condition: selection | count() > 5\n`;
    for (let i = 1; i <= 5; i++) writeFileSync(join(dir, i % 2 ? `agg${i}.yml` : join('nested', `agg${i}.yml`)), agg(i));
    const r = await run([samplePath(SAMPLES[0])], { sigma: dir });
    expect(r.code).toBe(1);
    const lines = r.err.split('\n').filter((l) => l.includes('not supported'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ 5 of 6 rule\(s\)/);
    expect(lines[0]).toMatch(/agg\d\.yml:\d+ AGGREGATION/);
    expect(lines[0]).toMatch(/and 2 more/);
    const report = JSON.parse(r.out) as { findings: Finding[] };
    // the nested good rule was loaded and fired
    expect(report.findings.some((f) => f.reasons.some((x) => x.id.startsWith('sigma:')))).toBe(true);
  });

  // a Sigma hit on a reg.exe start whose command line is a Run-key write attaches to that
  // command-line candidate, which is folded into the registry write's finding: the reason must follow it
  it('keeps a Sigma hit on a command line folded into a registry finding as a reason of that finding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rkh-sigma-'));
    writeFileSync(join(dir, 'reg.yml'), 'title: reg.exe\nid: 00000000-0000-4000-8000-00000000d35c\nstatus: test\nlevel: medium\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Description: Registry Console Tool\n        Company|contains: Microsoft\n    condition: selection\n');
    const expected = await inProcessHits(dir, samplePath(PANACHE));
    const r = await run([samplePath(PANACHE)], { sigma: dir });
    const report = JSON.parse(r.out) as { findings: Finding[] };
    const folded = new Set(report.findings.flatMap((f) => (f.correlation.commandLineSightings ?? []).map((l) => `00000000-0000-4000-8000-00000000d35c|${l.key}`)));
    const onFolded = [...expected].filter((h) => folded.has(h));
    expect(onFolded.length).toBeGreaterThan(0);
    const shown = reportedHits(report.findings);
    for (const hit of onFolded) expect(shown).toContain(hit);
  });

  it('exits 2 when the --sigma folder cannot be read', async () => {
    const r = await run([samplePath(SAMPLES[0])], { sigma: join(tmpdir(), 'rkh-no-such-sigma-folder') });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });

  it('registers --sigma with commander', async () => {
    const program = new Command().exitOverride();
    registerScanCommand(program);
    const scan = program.commands.find((c) => c.name() === 'scan');
    expect(scan?.options.some((o) => o.long === '--sigma')).toBe(true);
  });
});
