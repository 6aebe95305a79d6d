// A single self-overwriting progress line on stderr, only when stderr is a terminal, at most
// ~10 updates a second. Pipes and CI logs get nothing. The text names evidence files, so it is
// made terminal-safe here, for every caller (the \r this line moves with is its only control).

import { terminalSafe } from './terminal-safe';

export interface ProgressLine {
  update(text: string): void;
  done(): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  const enabled = stream.isTTY === true;
  let last = 0;
  let shown = false;
  return {
    update(text: string) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const safe = terminalSafe(text);
      stream.write(`\r${safe.length > width ? safe.slice(0, width - 1) + '…' : safe.padEnd(width)}`);
      shown = true;
    },
    done() {
      if (enabled && shown) stream.write(`\r${' '.repeat(Math.max(20, (stream.columns ?? 80) - 1))}\r`);
    },
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
