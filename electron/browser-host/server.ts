// The browser host's HTTP server (node:http): the built renderer, the API as POST /api/<handler>
// with a JSON body answered by a Result, server-sent events on /api/events, and uploads on
// /api/upload. Every request is checked for Host (the loopback address:port it listens on) and
// Origin; everything but the page itself needs the per-run token, and the page needs it in the
// URL once (it is then kept in an HttpOnly SameSite=Strict cookie scoped to this port's name).
// It binds 127.0.0.1 unless the caller explicitly allows a remote bind.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ApiError, BackendEvents, EventName } from '../../shared/api';
import { HTTP_API_PREFIX, HTTP_EVENTS_PATH, HTTP_TOKEN_HEADER, HTTP_TOKEN_QUERY, HTTP_UPLOAD_PATH, fail } from '../../shared/api';
import type { Backend } from '../backend/backend';
import { SECURITY_HEADERS } from '../security/csp';
import { allowedHostHeaders, checkHostAndOrigin, checkToken, isLoopbackAddress, type GuardConfig, type RequestFacts } from '../security/http-guards';
import type { UploadStore } from './uploads';

export interface BrowserHostOptions {
  backend: Backend;
  uploads: UploadStore;
  /** Folder of the built renderer (dist/renderer). */
  staticDir: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Required to bind anything but a loopback address. */
  allowRemote?: boolean;
  /** Host names (without port) accepted in addition to the bind address when binding remotely. */
  extraHostNames?: string[];
  token?: string;
  /** Largest JSON request body (bytes). */
  maxJsonBytes?: number;
}

export interface BrowserHost {
  url: string;
  token: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export class RemoteBindRefused extends Error {
  readonly code = 'REMOTE_BIND_REFUSED';
}

function send(res: ServerResponse, status: number, body: string, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

function sendResult(res: ServerResponse, result: unknown, status = 200): void {
  send(res, status, JSON.stringify(result), 'application/json; charset=utf-8');
}

function sendError(res: ServerResponse, status: number, code: ApiError['code'], message: string): void {
  sendResult(res, fail(code, message), status);
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | 'TOO_LARGE'> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > limit) return 'TOO_LARGE';
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Throws RemoteBindRefused for a non-loopback address unless remote binding was asked for explicitly. */
export function assertBindAllowed(bindHost: string, allowRemote: boolean | undefined): void {
  if (!isLoopbackAddress(bindHost) && !allowRemote) {
    throw new RemoteBindRefused(`refusing to listen on ${bindHost}: not a loopback address (pass --allow-remote to do it anyway)`);
  }
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const bindHost = opts.host ?? '127.0.0.1';
  assertBindAllowed(bindHost, opts.allowRemote);
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const maxJson = opts.maxJsonBytes ?? 80 * 1024 * 1024;
  const sse = new Set<ServerResponse>();
  const guard: GuardConfig = { allowedHosts: new Set(), token, cookieName: 'runkey_token' };
  const { backend } = opts;

  const unsubscribe = backend.subscribe(<E extends EventName>(event: E, payload: BackendEvents[E]) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sse) res.write(frame);
  });

  async function serveStatic(res: ServerResponse, pathname: string, setCookie: boolean): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch (e) {
      // a malformed percent-escape (%zz, a cut UTF-8 sequence) is the client's mistake, not ours
      if (e instanceof URIError) return send(res, 400, 'bad request: malformed percent-escape in the path', 'text/plain; charset=utf-8');
      throw e;
    }
    const rel = pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const root = normalize(opts.staticDir + sep);
    const file = normalize(join(root, rel));
    if (!file.startsWith(root)) return send(res, 404, 'not found', 'text/plain; charset=utf-8');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (e) {
      if (rel === 'index.html') {
        return send(res, 503, `The renderer is not built (${(e as NodeJS.ErrnoException).code ?? 'unreadable'}: ${file}). Run: npm run build`, 'text/plain; charset=utf-8');
      }
      return send(res, 404, 'not found', 'text/plain; charset=utf-8');
    }
    const extra: Record<string, string> = {};
    if (setCookie) extra['set-cookie'] = `${guard.cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-length': body.length, ...extra });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://placeholder');
    } catch (e) {
      // a request target WHATWG URL cannot parse ("//[", a port over 65535): refused, not a crash
      void e;
      return send(res, 400, 'bad request: unparsable request target', 'text/plain; charset=utf-8');
    }
    const facts: RequestFacts = {
      host: firstHeader(req.headers.host),
      origin: firstHeader(req.headers.origin),
      tokenHeader: firstHeader(req.headers[HTTP_TOKEN_HEADER]),
      cookie: firstHeader(req.headers.cookie),
      tokenQuery: url.searchParams.get(HTTP_TOKEN_QUERY),
    };
    const where = checkHostAndOrigin(facts, guard);
    if (!where.ok) return sendError(res, 403, 'FORBIDDEN', where.reason === 'HOST' ? 'unexpected Host header' : 'foreign Origin');
    const isApi = url.pathname.startsWith('/api/');
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    const auth = checkToken(facts, guard, isPage || url.pathname === HTTP_EVENTS_PATH);
    if (!auth.ok) {
      if (isApi) return sendError(res, 403, 'FORBIDDEN', 'missing or wrong token');
      return send(res, 403, 'Forbidden: open the URL printed by `npm run serve` (it carries the token).', 'text/plain; charset=utf-8');
    }
    if (!isApi) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', 'text/plain; charset=utf-8');
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204, SECURITY_HEADERS);
        return void res.end();
      }
      return serveStatic(res, url.pathname, isPage);
    }
    if (url.pathname === HTTP_EVENTS_PATH) {
      if (req.method !== 'GET') return sendError(res, 405, 'BAD_REQUEST', 'GET only');
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
      res.write(': runkey-hunter events\n\n');
      sse.add(res);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.on('close', () => {
        clearInterval(ping);
        sse.delete(res);
      });
      return;
    }
    if (req.method !== 'POST') return sendError(res, 405, 'BAD_REQUEST', 'POST only');
    if (url.pathname === HTTP_UPLOAD_PATH) {
      const name = url.searchParams.get('name') ?? '';
      const uploadId = url.searchParams.get('upload') ?? undefined;
      const len = req.headers['content-length'] ? Number(req.headers['content-length']) : undefined;
      const r = await opts.uploads.receive(uploadId, name, req, Number.isFinite(len) ? len : undefined);
      return sendResult(res, r, r.ok ? 200 : r.error.code === 'TOO_LARGE' ? 413 : 200);
    }
    const ctype = firstHeader(req.headers['content-type']) ?? '';
    // JSON only: a cross-site form post cannot send it without a CORS preflight, which we never grant
    if (!/^application\/json\b/i.test(ctype)) return sendError(res, 415, 'BAD_REQUEST', 'content-type must be application/json');
    const text = await readBody(req, maxJson);
    if (text === 'TOO_LARGE') return sendError(res, 413, 'TOO_LARGE', `request body over ${maxJson} bytes`);
    let payload: unknown;
    try {
      payload = text.length ? JSON.parse(text) : {};
    } catch (e) {
      return sendResult(res, fail('BAD_REQUEST', `body is not JSON: ${e instanceof Error ? e.message : String(e)}`));
    }
    const name = url.pathname.slice(HTTP_API_PREFIX.length);
    const result = await backend.invoke(name, payload);
    return sendResult(res, result, !result.ok && result.error.code === 'UNKNOWN_HANDLER' ? 404 : 200);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error(`runkey-hunter: request failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'request failed');
      else res.end();
    });
  });
  server.requestTimeout = 0; // uploads of large evidence take long; idle sockets still time out
  await new Promise<void>((resolveP, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, bindHost, () => resolveP());
  });
  const port = (server.address() as AddressInfo).port;
  guard.allowedHosts = allowedHostHeaders(bindHost, port, opts.extraHostNames ?? []);
  guard.cookieName = `runkey_token_${port}`;
  if (bindHost === '0.0.0.0' || bindHost === '::') guard.anyHostOnPort = port;
  const shownHost = isLoopbackAddress(bindHost) ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const url = `http://${shownHost}:${port}/?${HTTP_TOKEN_QUERY}=${token}`;
  return {
    url,
    token,
    port,
    server,
    async close() {
      unsubscribe();
      for (const res of sse) res.end();
      sse.clear();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
    },
  };
}
