// Calls to the back half made from components. Each unwraps the Result and reports a failure in
// the status line, so components stay free of error plumbing. They return undefined on failure.

import type { HandlerName, RequestOf, Responses, Result, UploadProgress } from '../../shared/api';
import { useCaseStore } from './case-store';

/** Like call(), but hands the error back instead of showing it (for sections that explain it in place). */
export async function tryCall<K extends HandlerName>(name: K, req: RequestOf<K>): Promise<Result<Responses[K]>> {
  const { client } = useCaseStore.getState();
  if (!client) return { ok: false, error: { code: 'INTERNAL', message: 'not connected to the back half' } };
  return client.invoke(name, req);
}

export async function call<K extends HandlerName>(name: K, req: RequestOf<K>): Promise<Responses[K] | undefined> {
  const { client, setError } = useCaseStore.getState();
  if (!client) {
    setError('Not connected to the back half.');
    return undefined;
  }
  const r = await client.invoke(name, req);
  if (r.ok) return r.value;
  const details = r.error.details?.length ? ` (${r.error.details.join('; ')})` : '';
  setError(`${r.error.message}${details} [${r.error.code}]`);
  return undefined;
}

/** Loads the current case, its findings, the baseline and the settings (at start-up and after a reload). */
export async function refreshAll(): Promise<void> {
  const s = useCaseStore.getState();
  const [snap, list, baseline, settings] = await Promise.all([call('case.snapshot', {}), call('findings.list', {}), call('baseline.get', {}), call('settings.get', {})]);
  if (snap) s.setSnapshot(snap);
  if (settings) s.setSettings(settings);
  if (list) useCaseStore.getState().setFindings(list.caseId, list.revision, list.findings);
  if (baseline) s.setBaseline(baseline);
  useCaseStore.getState().setConnected();
}

export async function openFiles(files: FileList | File[], onProgress?: (p: UploadProgress) => void): Promise<void> {
  const { client, setError, setSnapshot } = useCaseStore.getState();
  if (!client) return;
  const r = await client.openFiles(files, onProgress);
  if (r.ok) setSnapshot(r.value);
  else setError(`${r.error.message} [${r.error.code}]`);
}

export async function openDemo(): Promise<void> {
  const snap = await call('case.openDemo', {});
  if (snap) useCaseStore.getState().setSnapshot(snap);
}

/** Saves text through the browser's download mechanism (Blob + <a download>). */
export function download(fileName: string, mime: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
