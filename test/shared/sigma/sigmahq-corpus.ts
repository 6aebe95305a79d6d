// Test-side access to the SigmaHQ rules and regression data in ../shared/samples/SigmaHQ_sigma:
// the rule files (read by path), the regression folders with the expected match counts from each
// info.yml, and the events of each regression sample as RawEvents.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { HAVE_SAMPLES, samplePath } from '../../samples';
import type { RawEvent, RawValue } from '../../../shared/model/raw-event';
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

/** Split concatenated JSON documents ("{...}\n{...}") as SigmaHQ writes them. */
function splitJsonObjects(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(text.slice(start, i + 1));
  }
  return out;
}

type J = Record<string, unknown>;
const attrs = (x: unknown): J => ((x as J | undefined)?.['#attributes'] as J | undefined) ?? {};
const num = (x: unknown): number | undefined => (typeof x === 'number' ? x : typeof x === 'string' && x !== '' ? Number(x) : undefined);

/**
 * Test-local reading of a SigmaHQ regression JSON into RawEvents (the shape readers produce). Used
 * only until shared/readers/read-evidence lands; see the regression test.
 */
export function readSigmaJson(path: string): RawEvent[] {
  const text = readFileSync(path, 'utf8');
  return splitJsonObjects(text).map((s, i) => {
    const ev = (JSON.parse(s) as J).Event as J;
    const sys = ev.System as J;
    const data: Record<string, RawValue> = {};
    const ed = (ev.EventData ?? {}) as J;
    for (const [k, v] of Object.entries(ed ?? {})) if (k !== '#attributes') data[k] = v as RawValue;
    const prov = attrs(sys.Provider);
    return {
      ref: { file: path, format: 'json', recordId: num(sys.EventRecordID), line: i + 1 },
      layout: 'windows-event',
      system: {
        provider: prov.Name as string | undefined,
        eventId: num(typeof sys.EventID === 'object' && sys.EventID !== null ? (sys.EventID as J)['#text'] : sys.EventID),
        channel: sys.Channel as string | undefined,
        computer: sys.Computer as string | undefined,
        timeCreated: attrs(sys.TimeCreated).SystemTime as string | undefined,
        recordId: num(sys.EventRecordID),
      },
      data,
    };
  });
}
