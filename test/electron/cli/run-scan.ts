// Runs the scan command's module in-process with captured stdout / stderr (the real-bin tests
// spawn bin/runkey-hunter.mjs instead).
import { Writable } from 'node:stream';
import { runScan, type ScanOptions } from '../../../electron/cli/scan-command';

function sink(): { stream: Writable; text: () => string } {
  let buf = '';
  const stream = new Writable({ write(chunk, _enc, cb) { buf += String(chunk); cb(); } });
  return { stream, text: () => buf };
}

export const SCAN_DEFAULTS: ScanOptions = { builtinBaseline: true, format: 'json', minSeverity: 'medium', payloadWindow: 10 };

export async function runScanCaptured(paths: string[], o: Partial<ScanOptions> = {}): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runScan(paths, { ...SCAN_DEFAULTS, ...o }, { stdout: out.stream, stderr: err.stream });
  return { code, out: out.text(), err: err.text() };
}
