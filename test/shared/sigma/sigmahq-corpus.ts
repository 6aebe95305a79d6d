// Test-side access to the SigmaHQ rules and regression data in ../shared/samples/SigmaHQ_sigma:
// the rule files (read by path), the regression folders with the expected match counts from each
// info.yml, and the events of each regression sample read with readEvidence.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { HAVE_SAMPLES, samplePath } from '../../samples';
import type { RawEvent } from '../../../shared/model/raw-event';
import type { Problem } from '../../../shared/model/problems';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { bytesSource, collect } from '../../../shared/readers/types';
import type { RuleFile } from '../../../shared/sigma';

export const SIGMA_DIR = samplePath('SigmaHQ_sigma');
export const HAVE_SIGMA = HAVE_SAMPLES && existsSync(join(SIGMA_DIR, 'regression_data'));

function walk(dir: string, out: string[]): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.yml')) out.push(p);
  }
  return out;
}

/** Every rule file under rules/ and rules-threat-hunting/ (paths relative to SigmaHQ_sigma). */
export function sigmaRuleFiles(sub: readonly string[] = ['rules', 'rules-threat-hunting']): RuleFile[] {
  const files: string[] = [];
  for (const s of sub) walk(join(SIGMA_DIR, s), files);
  return files.sort().map((p) => ({ path: relative(SIGMA_DIR, p), text: readFileSync(p, 'utf8') }));
}

export interface RegressionCase {
  /** Folder relative to SigmaHQ_sigma/regression_data. */
  folder: string;
  ruleId: string;
  title: string;
  matchCount: number;
  evtx: string;
  json: string;
}

interface InfoYml {
  rule_metadata?: { id?: string; title?: string }[];
  regression_tests_info?: { type?: string; match_count?: number; path?: string }[];
}

export function regressionCases(): RegressionCase[] {
  const root = join(SIGMA_DIR, 'regression_data');
  const out: RegressionCase[] = [];
  for (const info of walk(root, []).filter((p) => p.endsWith('info.yml')).sort()) {
    const y = parse(readFileSync(info, 'utf8')) as InfoYml;
    const meta = y.rule_metadata?.[0];
    const test = y.regression_tests_info?.find((t) => t.type === 'evtx' && typeof t.match_count === 'number');
    if (!meta?.id || !test?.path) continue;
    const evtx = join(SIGMA_DIR, test.path);
    const json = evtx.replace(/\.evtx$/, '.json');
    out.push({
      folder: relative(root, join(info, '..')), ruleId: meta.id, title: meta.title ?? '', matchCount: test.match_count ?? 0, evtx, json,
    });
  }
  return out;
}

/** Every event of one sample file (EVTX or SigmaHQ JSON), read by the product's readEvidence. */
export async function readSample(path: string): Promise<{ events: RawEvent[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const events = await collect(readEvidence(bytesSource(new Uint8Array(readFileSync(path))), { file: path, onProblem: (p) => problems.push(p) }));
  // the match counts and the JSON twins cover the log's allocated records, not those carved from its slack (ref.recovered)
  return { events: events.filter((e) => !e.ref.recovered), problems };
}
