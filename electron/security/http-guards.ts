// Request checks of the browser host (pure functions, tested). Every request must name the
// loopback address:port the host listens on in its Host header (this defeats DNS rebinding), must
// not come from a foreign Origin, and every API call must carry the per-run token (header, cookie
// or, for the page and the event stream, the query). Token comparison is constant-time.

import { timingSafeEqual } from 'node:crypto';

export interface GuardConfig {
  /** Host header values accepted ("127.0.0.1:8123", "localhost:8123"). */
  allowedHosts: ReadonlySet<string>;
  /** Remote binds on a wildcard address (0.0.0.0 / ::): any host name on this port (the token still applies). */
  anyHostOnPort?: number;
  token: string;
  cookieName: string;
}

export type GuardVerdict = { ok: true } | { ok: false; status: 403; reason: 'HOST' | 'ORIGIN' | 'TOKEN' };

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopbackAddress(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The Host header values that name this server when it listens on `bindHost:port`. */
export function allowedHostHeaders(bindHost: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = new Set<string>();
  if (isLoopbackAddress(bindHost)) for (const n of LOOPBACK_NAMES) names.add(`${n}:${port}`);
  names.add(`${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${port}`);
  for (const h of extra) names.add(`${h}:${port}`);
  return names;
}

export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(token, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export interface RequestFacts {
  host: string | undefined;
  origin: string | undefined;
  tokenHeader: string | undefined;
  cookie: string | undefined;
  tokenQuery: string | null;
}

/** Host and Origin: checked on every request, before anything is served. */
export function checkHostAndOrigin(req: RequestFacts, cfg: GuardConfig): GuardVerdict {
  const host = req.host?.toLowerCase();
  const known = host !== undefined && (cfg.allowedHosts.has(host) || (cfg.anyHostOnPort !== undefined && host.endsWith(`:${cfg.anyHostOnPort}`)));
  if (!known) return { ok: false, status: 403, reason: 'HOST' };
  if (req.origin !== undefined && req.origin !== `http://${host}`) return { ok: false, status: 403, reason: 'ORIGIN' };
  return { ok: true };
}

/** The token from the header, the cookie, or (when allowed for this route) the query. */
export function checkToken(req: RequestFacts, cfg: GuardConfig, allowQuery: boolean): GuardVerdict {
  if (tokenMatches(req.tokenHeader, cfg.token)) return { ok: true };
  if (tokenMatches(cookieValue(req.cookie, cfg.cookieName), cfg.token)) return { ok: true };
  if (allowQuery && tokenMatches(req.tokenQuery ?? undefined, cfg.token)) return { ok: true };
  return { ok: false, status: 403, reason: 'TOKEN' };
}
