// The scan report's inputs count an EVTX file's recovered (deleted) records and its slack
// fragments, as the reader does (schema-valid); files without carving carry neither field.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMA, type ScanReport } from '../../../shared/export/report';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { runScanCaptured } from './run-scan';

describe.skipIf(!HAVE_SAMPLES)('scan report inputs of carved EVTX files', () => {
  if (!HAVE_SAMPLES) console.warn(`[skip] ${NO_SAMPLES_REASON}`);
  it('give recoveredRecords and deletedFragments per file and validate', async () => {
    const bad = samplePath('omerbenamram_evtx/samples/sample_with_a_bad_chunk_magic.evtx');
    const app = samplePath('omerbenamram_evtx/samples/Application_no_crc32.evtx');
    const plain = samplePath('omerbenamram_evtx/samples/sysmon.evtx');
    const r = await runScanCaptured([bad, app, plain], { minSeverity: 'informational' });
    const report = JSON.parse(r.out) as ScanReport;
    const byFile = new Map(report.inputs.map((i) => [i.file, i]));
    expect(byFile.get(bad)).toMatchObject({ records: 348, failedRecords: 86, recoveredRecords: 50 });
    expect(byFile.get(bad)?.deletedFragments).toBeUndefined();
    expect(byFile.get(app)).toMatchObject({ records: 17, deletedFragments: 34 });
    expect(byFile.get(app)?.recoveredRecords).toBeUndefined();
    expect(Object.keys(byFile.get(plain) ?? {})).not.toContain('recoveredRecords');
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(REPORT_SCHEMA);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  }, 60_000);
});
