// Display formatting. Every value here may be attacker-controlled: these functions return plain
// strings that React renders as text nodes, never markup.

/** Exact UTC time as the source gave it (ISO 8601 with its own precision), readable. */
export function formatUtc(iso: string | undefined): string {
  if (!iso) return '—';
  return iso.replace('T', ' ').replace(/Z$/, ' UTC');
}

/** Epoch ms → ISO UTC with ms ("2024-01-02 03:04:05.678 UTC"). */
export function formatUtcMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return formatUtc(new Date(ms).toISOString());
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v.toFixed(0) : v.toFixed(v < 10 ? 1 : 0)} ${UNITS[u]}`;
}

const COUNT_FORMAT = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

export function percent(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.max(0, Math.min(100, (done / total) * 100));
}

/** Last path component, for compact columns ("C:\Windows\System32\reg.exe" → "reg.exe"). */
export function baseName(path: string | undefined): string {
  if (!path) return '';
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/** "1 finding" / "3 findings". */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : pluralWord}`;
}
