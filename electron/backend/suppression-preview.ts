// How many findings of the open case a candidate baseline entry would mark as baselined: the case
// stage is re-run with the entry added (nothing is saved) and compared with the current result.

import type { BaselineEntry, BaselineEntryInput, Result, SuppressionPreview } from '../../shared/api';
import { ok } from '../../shared/api';
import { parseEntryInput } from './baseline-codec';
import type { CaseSession } from './case-session';

export function analyzeCaseMaterialPreview(session: CaseSession, entries: readonly BaselineEntry[], input: BaselineEntryInput): Result<SuppressionPreview> {
  const parsed = parseEntryInput(input);
  if (!parsed.ok) return parsed;
  const candidate: BaselineEntry = { ...parsed.value, enabled: true, id: parsed.value.id ?? 'preview' };
  const before = new Map(session.currentFindings().findings.map((f) => [f.id, f.baseline.status]));
  const findingIds = session
    .analyseWith([...entries, candidate])
    .filter((f) => f.baseline.status !== 'none' && before.get(f.id) === 'none')
    .map((f) => f.id);
  return ok({ count: findingIds.length, findingIds });
}
