// The baseline file as the back half reads and writes it: the detection engine's versioned format
// (shared/detect/baseline.ts), validated with its schema. Text that is not JSON, or does not
// validate, is INVALID_BASELINE with the paths of what was wrong; duplicate ids are refused.

import type { BaselineEntry, BaselineEntryInput, Result } from '../../shared/api';
import { baselineEntryInputSchema, fail, ok } from '../../shared/api';
import { BASELINE_FORMAT_VERSION, baselineSchema, parseBaseline, type Baseline } from '../../shared/detect/baseline';

export function parseBaselineText(text: string): Result<BaselineEntry[]> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail('INVALID_BASELINE', `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = parseBaseline(json);
  if (!r.ok) return fail('INVALID_BASELINE', 'not a valid baseline file', r.errors.slice(0, 20));
  const ids = new Set<string>();
  for (const e of r.baseline.entries) {
    if (ids.has(e.id)) return fail('INVALID_BASELINE', `duplicate entry id ${e.id}`);
    ids.add(e.id);
  }
  return ok(r.baseline.entries);
}

/** Validates an entry from the API; the id is the caller's to assign when absent. */
export function parseEntryInput(input: BaselineEntryInput): Result<Omit<BaselineEntry, 'id'> & { id?: string }> {
  const r = baselineEntryInputSchema.safeParse(input);
  return r.success ? ok(r.data) : fail('INVALID_BASELINE', 'not a valid baseline entry', r.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`));
}

export function serializeBaseline(entries: readonly BaselineEntry[]): string {
  const file: Baseline = baselineSchema.parse({ format: 'runkey-hunter-baseline', version: BASELINE_FORMAT_VERSION, entries });
  return JSON.stringify(file, null, 2) + '\n';
}
