// The browser host's client: RunkeyClient over HTTP + server-sent events, with the per-run token
// the page URL carries. Every response is a Result; network failures become Result errors too, so
// the UI has one error path. Transport names come from shared/api.ts only.

import {
  EVENT_NAMES,
  HTTP_API_PREFIX,
  HTTP_EVENTS_PATH,
  HTTP_TOKEN_HEADER,
  HTTP_TOKEN_QUERY,
  HTTP_UPLOAD_PATH,
  fail,
  type BackendEvents,
  type CaseSnapshot,
  type EventName,
  type FileLike,
  type HandlerName,
  type RequestOf,
  type Responses,
  type Result,
  type UploadProgress,
  type RunkeyClient,
} from '../../shared/api';

type Listener = (payload: never) => void;

function isResult(v: unknown): v is Result<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}

async function readResult<T>(res: Response, what: string): Promise<Result<T>> {
  let body: unknown;
  try {
    body = await res.json();
  } catch (e) {
    return fail('INTERNAL', `${what}: HTTP ${res.status}, unreadable answer (${String(e)})`);
  }
  if (isResult(body)) return body as Result<T>;
  return fail('INTERNAL', `${what}: HTTP ${res.status}, answer is not a Result`);
}

export class HttpClient implements RunkeyClient {
  /** One file POSTed with XMLHttpRequest: fetch() cannot report the bytes of a request body sent. */
  private upload(url: string, f: FileLike, name: string, sent: (bytes: number) => void): Promise<Result<{ uploadId: string }>> {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.setRequestHeader(HTTP_TOKEN_HEADER, this.token);
      xhr.upload.onprogress = (e) => sent(e.loaded);
      xhr.onload = () => {
        let body: unknown;
        try {
          body = JSON.parse(xhr.responseText);
        } catch (e) {
          resolve(fail('INTERNAL', `upload ${name}: HTTP ${xhr.status}, unreadable answer (${String(e)})`));
          return;
        }
        resolve(isResult(body) ? (body as Result<{ uploadId: string }>) : fail('INTERNAL', `upload ${name}: HTTP ${xhr.status}, answer is not a Result`));
      };
      xhr.onerror = () => resolve(fail('IO', `upload of ${name} failed (network error)`));
      xhr.onabort = () => resolve(fail('IO', `upload of ${name} was aborted`));
      xhr.send(f as unknown as Blob);
    });
  }

  readonly host = 'browser' as const;
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private source: EventSource | null = null;

  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  static fromLocation(loc: Location): HttpClient {
    const token = new URLSearchParams(loc.search).get(HTTP_TOKEN_QUERY) ?? '';
    return new HttpClient(loc.origin, token);
  }

  async invoke<K extends HandlerName>(name: K, req: RequestOf<K>): Promise<Result<Responses[K]>> {
    try {
      const res = await fetch(`${this.base}${HTTP_API_PREFIX}${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [HTTP_TOKEN_HEADER]: this.token },
        body: JSON.stringify(req ?? {}),
        credentials: 'same-origin',
      });
      return await readResult<Responses[K]>(res, name);
    } catch (e) {
      return fail('IO', `${name}: the back half did not answer (${String(e)})`);
    }
  }

  on<E extends EventName>(event: E, cb: (payload: BackendEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(cb as Listener);
    this.connect();
    return () => {
      set.delete(cb as Listener);
    };
  }

  private connect(): void {
    if (this.source) return;
    const url = `${this.base}${HTTP_EVENTS_PATH}?${HTTP_TOKEN_QUERY}=${encodeURIComponent(this.token)}`;
    const source = new EventSource(url, { withCredentials: false });
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (ev) => {
        let payload: unknown;
        try {
          payload = JSON.parse((ev as MessageEvent<string>).data);
        } catch (e) {
          console.error(`bad ${name} event from the host`, e);
          return;
        }
        for (const cb of this.listeners.get(name) ?? []) (cb as (p: unknown) => void)(payload);
      });
    }
    this.source = source;
  }

  async openFiles(files: readonly FileLike[] | ArrayLike<FileLike>, onProgress?: (p: UploadProgress) => void): Promise<Result<CaseSnapshot>> {
    const list = Array.from(files);
    if (list.length === 0) return fail('BAD_REQUEST', 'no files chosen');
    const totalBytes = list.reduce((n, f) => n + f.size, 0);
    let done = 0;
    let uploadId: string | undefined;
    for (const f of list) {
      const name = f.webkitRelativePath || f.name;
      const q = new URLSearchParams({ name });
      if (uploadId) q.set('upload', uploadId);
      const r = await this.upload(`${this.base}${HTTP_UPLOAD_PATH}?${q}`, f, name, (sent) => onProgress?.({ sentBytes: done + sent, totalBytes, file: name }));
      if (!r.ok) return r;
      done += f.size;
      uploadId = r.value.uploadId;
    }
    if (!uploadId) return fail('INTERNAL', 'upload gave no id');
    return this.invoke('case.openUpload', { uploadId });
  }
}
