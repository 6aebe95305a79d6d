// Third-party evidence lives beside the repo in ../shared/samples and is never copied in. Tests
// that need it use these helpers and are skipped, with the reason printed, where it is absent.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLES_DIR = resolve(REPO_ROOT, '..', 'shared', 'samples');
export const HAVE_SAMPLES = existsSync(join(SAMPLES_DIR, 'MANIFEST.tsv'));
export const NO_SAMPLES_REASON = `../shared/samples not found at ${SAMPLES_DIR}: sample-based tests skipped`;

if (!HAVE_SAMPLES) console.warn(`[skip] ${NO_SAMPLES_REASON}`);

export function samplePath(rel: string): string {
  return join(SAMPLES_DIR, rel);
}

export interface ManifestRow {
  path: string;
  role: string;
  size: number;
  parser: string;
  eventsTotal: number;
  recovered: number;
  runkeyHits: number;
  runkeyHitsByEvent: string;
  categories: string;
  raw: Record<string, string>;
}

export function readManifest(): ManifestRow[] {
  if (!HAVE_SAMPLES) return [];
  const lines = readFileSync(join(SAMPLES_DIR, 'MANIFEST.tsv'), 'utf8').split('\n');
  const headerLine = lines.find((l) => l.startsWith('local_path\t'));
  if (!headerLine) return [];
  const header = headerLine.split('\t');
  const rows: ManifestRow[] = [];
  for (const line of lines) {
    if (!line || line.startsWith('#') || line === headerLine) continue;
    const cells = line.split('\t');
    const raw: Record<string, string> = {};
    header.forEach((h, i) => (raw[h] = cells[i] ?? ''));
    rows.push({
      path: raw.local_path, role: raw.role, size: Number(raw.size_bytes), parser: raw.parser,
      eventsTotal: Number(raw.events_total || 0), recovered: Number(raw.evtx_recovered_records || 0),
      runkeyHits: Number(raw.runkey_hits || 0), runkeyHitsByEvent: raw.runkey_hits_by_event,
      categories: raw.runkey_categories, raw,
    });
  }
  return rows;
}

/** Every file under a folder whose name ends with `ext` (case-insensitive), sorted. */
export function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, ext));
    else if (p.toLowerCase().endsWith(ext)) out.push(p);
  }
  return out.sort();
}
