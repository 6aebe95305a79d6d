// The engine against the evidence generator's answer keys, in every output format, checked exactly:
// - every record with a minimum severity (the persistence writes) is cited by a finding, as its
//   primary evidence or as corroborating evidence (alsoSeenIn), rated at or above that minimum;
// - every chain-context record (the writer's process start and its ancestors, a key created under a
//   temporary name before it is renamed into the location) is linked from the correlation of a
//   finding of its own story on its host;
// - no benign or near-miss record is cited by a finding above its maximum unless baselined.
// Seeds are fixed.

import { describe, expect, it } from 'vitest';
import { severityRank, type EventLink, type Finding } from '../../../shared/model/finding';
import { CHAIN_CONTEXT_ROLES, type AnswerRecord } from '../../../shared/generator/answer-key';
import { analyzeGenerated } from './analyze-generated';

const SCENARIOS = ['mixed', 'classroom-basics', 'winlogon-tampering', 'startup-folder', 'living-off-the-land', 'masquerade-and-variants', 'no-sysmon-auditing', 'defender-fleet', 'benign-only', 'powershell-and-remote'];
const FORMATS = ['evtx', 'xml', 'ndjson', 'csv'] as const;
/** Every scenario in EVTX; these also in every other format (the whole grid takes minutes). */
const ALL_FORMATS = new Set(['classroom-basics', 'no-sysmon-auditing', 'defender-fleet', 'masquerade-and-variants', 'powershell-and-remote']);
const SEED = 1547;

function sameRef(ref: Finding['evidence']['ref'], r: AnswerRecord): boolean {
  if (ref.file.replace(/^.*[\\/]/, '') !== r.ref.file.replace(/^.*[\\/]/, '')) return false;
  if (r.ref.recordId !== undefined && ref.recordId !== undefined) return ref.recordId === r.ref.recordId;
  return r.ref.line !== undefined && ref.line === r.ref.line;
}

/** Findings that cite the record as their own evidence: primary or corroborating. */
function citing(findings: readonly Finding[], r: AnswerRecord): Finding[] {
  return findings.filter((f) => sameRef(f.evidence.ref, r) || (f.alsoSeenIn ?? []).some((s) => sameRef(s.ref, r)));
}

/**
 * Where a finding's correlation may link a context record: the writer's start as the writer, an
 * ancestor or a command-line sighting; a key's creation under its first name as keyCreated.
 */
function correlationLinks(f: Finding, r: AnswerRecord): EventLink[] {
  const c = f.correlation;
  const links = r.role === 'writer-process' ? [c.writerProcess, ...c.writerAncestors, ...(c.commandLineSightings ?? [])] : [...(c.keyCreated ?? [])];
  return links.filter((l): l is EventLink => l !== undefined);
}

/** The finding links the record from its correlation (the link's own record or another source's twin of it). */
function links(f: Finding, r: AnswerRecord): boolean {
  return correlationLinks(f, r).some((l) => sameRef(l.ref, r) || (l.alsoSeenIn ?? []).some((s) => sameRef(s.ref, r)));
}

describe('answer keys of the evidence generator', () => {
  for (const scenario of SCENARIOS) {
    for (const format of FORMATS.filter((f) => f === 'evtx' || ALL_FORMATS.has(scenario))) {
      // Defender tables exist only as CSV; Windows-event scenarios in every format
      it(`meets the answer key of ${scenario} (${format}, seed ${SEED})`, async () => {
        let result;
        try {
          result = await analyzeGenerated({ scenario, seed: SEED, format });
        } catch (e) {
          // a scenario that cannot be written in this format is the generator's refusal, not a miss
          expect(String(e)).toMatch(/format|not supported|cannot/i);
          return;
        }
        const { findings, key } = result;
        const missed: string[] = [];
        const unlinked: string[] = [];
        const loud: string[] = [];
        const where = (r: AnswerRecord) => `${r.story} ${r.role} ${r.kind} ${r.action} ${r.ref.file}#${r.ref.recordId ?? r.ref.line}`;
        // the findings of each story on each host: those citing one of its persistence records
        const storyFindings = new Map<string, Set<Finding>>();
        for (const r of key.records) {
          if (r.role !== 'persistence') continue;
          const k = `${r.host}|${r.story}`;
          const set = storyFindings.get(k) ?? new Set<Finding>();
          for (const f of citing(findings, r)) set.add(f);
          storyFindings.set(k, set);
        }
        for (const r of key.records) {
          const hits = citing(findings, r);
          if (r.minSeverity) {
            if (!hits.some((f) => severityRank(f.severity) >= severityRank(r.minSeverity ?? 'low'))) {
              missed.push(`${where(r)}: ${hits.map((h) => h.severity).join(',') || 'no finding'} < ${r.minSeverity} (${r.fields.registryKey ?? r.fields.targetFilename ?? r.fields.commandLine}\\${r.fields.valueName ?? ''} = ${r.fields.details ?? ''})`);
            }
          }
          if (CHAIN_CONTEXT_ROLES.includes(r.role)) {
            const own = [...(storyFindings.get(`${r.host}|${r.story}`) ?? [])];
            if (!own.some((f) => links(f, r))) unlinked.push(`${where(r)}: not linked from ${own.length} finding(s) of the story (${r.fields.commandLine ?? r.fields.registryKey ?? ''})`);
          }
          if (r.maxSeverity) {
            for (const f of hits) {
              if (f.baseline.status === 'baselined') continue;
              if (severityRank(f.severity) > severityRank(r.maxSeverity)) loud.push(`${r.story}: ${f.severity} > ${r.maxSeverity} (${f.location} ${f.valueName ?? ''} = ${f.value.slice(0, 100)}; ${f.reasons.filter((x) => x.weight).map((x) => x.id).join(',')})`);
            }
          }
        }
        expect(missed.join(' || ').slice(0, 3000)).toBe('');
        expect(unlinked.join(' || ').slice(0, 3000)).toBe('');
        expect(loud.join('\n')).toBe('');
      });
    }
  }
});
