// Writes the published JSON Schema of the scan report (assets/schema/report.schema.json) from the
// one definition in shared/export/report.ts. Run: npx tsx scripts/write-report-schema.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORT_SCHEMA } from '../shared/export/report';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets', 'schema', 'report.schema.json');
writeFileSync(out, JSON.stringify(REPORT_SCHEMA, null, 2) + '\n');
console.log(`wrote ${out}`);
