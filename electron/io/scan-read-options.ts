// The reader options of a scan, built in one place for the CLI scan and the ingest workers, so both
// take the same path through readEvidence: EVTX on the wantedFields fast path (only the EventData
// the engine and the analyst's Sigma rules read; see shared/detect/scan-fields.ts), text formats
// whole. A keyword rule reads every field: then there is no wanted set and EVTX is decoded in full.

import type { ReadEvidenceOptions } from '../../shared/readers/read-evidence';
import { scanWantedFields, type ScanFieldRules } from '../../shared/detect/scan-fields';

export function scanReadOptions(rules?: ScanFieldRules): ReadEvidenceOptions {
  const wanted = scanWantedFields(rules);
  return wanted ? { evtxWantedFields: wanted } : {};
}
