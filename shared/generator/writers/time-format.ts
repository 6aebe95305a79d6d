// Time spellings of the text writers, from the generator's (epoch ms, 100 ns ticks) pair.

/** ISO 8601 UTC with 7 fractional digits, as Windows renders a FILETIME. */
export function filetimeIso(ms: number, sub: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(sub).padStart(4, '0')}Z`;
}
