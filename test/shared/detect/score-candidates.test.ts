// scoreCandidates gives the findings shown while a case is still being read: each candidate scored
// on its own. For one candidate and no correlation data it must agree with the case stage.
import { describe, expect, it } from 'vitest';
import { analyzeCase, emptyIndex, scoreCandidates } from '../../../shared/detect/engine';
import { BASELINE_FORMAT_VERSION, type Baseline } from '../../../shared/detect/baseline';
import { collectGenerated } from './analyze-generated';

describe('scoreCandidates', () => {
  it('scores each candidate as the case stage scores it alone, baseline included, with no rarity yet', async () => {
    const { collector } = await collectGenerated({ scenario: 'mixed', seed: 1547, format: 'evtx' });
    const cands = collector.candidates;
    expect(cands.length).toBeGreaterThan(20);
    // an analyst baseline entry on the first candidate's value, beside the built-in one
    const baseline: Baseline = { format: 'runkey-hunter-baseline', version: BASELINE_FORMAT_VERSION, entries: [{ id: 'e1', enabled: true, scope: {}, match: { kind: 'exact-value', value: cands[0].value }, analyst: 'test', reason: 'known', date: '2026-01-01' }] };
    const quick = scoreCandidates(cands, baseline);
    expect(quick).toHaveLength(cands.length);
    const seen = new Set<string>();
    for (const [i, c] of cands.entries()) {
      const [alone] = analyzeCase({ candidates: [c], index: emptyIndex(), baseline });
      const q = quick[i];
      expect(q.id).toBe(c.id);
      expect(q.rarity).toBeUndefined();
      expect([q.score, q.severity, q.baseline.status, q.reasons.map((r) => r.id)]).toEqual([alone.score, alone.severity, alone.baseline.status, alone.reasons.map((r) => r.id)]);
      seen.add(q.baseline.status);
    }
    // the comparison covered baselined and unbaselined candidates
    expect(seen.has('none')).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
  });
});
