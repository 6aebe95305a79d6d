import { describe, expect, it } from 'vitest';
import { allowedHostHeaders, checkHostAndOrigin, checkToken, cookieValue, isLoopbackAddress, type GuardConfig, type RequestFacts } from '../../../electron/security/http-guards';

const cfg: GuardConfig = { allowedHosts: allowedHostHeaders('127.0.0.1', 8123), token: 'secret-token', cookieName: 'runkey_token_8123' };
const req = (over: Partial<RequestFacts>): RequestFacts => ({ host: '127.0.0.1:8123', origin: undefined, tokenHeader: undefined, cookie: undefined, tokenQuery: null, ...over });

describe('browser host request guards', () => {
  it('accepts the loopback address and port it listens on, nothing else', () => {
    expect(checkHostAndOrigin(req({}), cfg).ok).toBe(true);
    expect(checkHostAndOrigin(req({ host: 'localhost:8123' }), cfg).ok).toBe(true);
    for (const host of ['evil.example:8123', '127.0.0.1:8124', '127.0.0.1', undefined, 'attacker.rebind.example']) {
      expect(checkHostAndOrigin(req({ host }), cfg)).toEqual({ ok: false, status: 403, reason: 'HOST' });
    }
  });

  it('refuses a foreign Origin (and the opaque "null" origin), accepts its own or none', () => {
    expect(checkHostAndOrigin(req({ origin: 'http://127.0.0.1:8123' }), cfg).ok).toBe(true);
    for (const origin of ['http://evil.example', 'http://127.0.0.1:9999', 'null', 'https://127.0.0.1:8123']) {
      expect(checkHostAndOrigin(req({ origin }), cfg)).toEqual({ ok: false, status: 403, reason: 'ORIGIN' });
    }
  });

  it('needs the token in the header or cookie; the query only where allowed', () => {
    expect(checkToken(req({}), cfg, false).ok).toBe(false);
    expect(checkToken(req({ tokenHeader: 'secret-token' }), cfg, false).ok).toBe(true);
    expect(checkToken(req({ tokenHeader: 'secret-tokeN' }), cfg, false).ok).toBe(false);
    expect(checkToken(req({ tokenHeader: 'secret' }), cfg, false).ok).toBe(false);
    expect(checkToken(req({ cookie: 'a=b; runkey_token_8123=secret-token' }), cfg, false).ok).toBe(true);
    expect(checkToken(req({ cookie: 'runkey_token_9999=secret-token' }), cfg, false).ok).toBe(false);
    expect(checkToken(req({ tokenQuery: 'secret-token' }), cfg, false).ok).toBe(false);
    expect(checkToken(req({ tokenQuery: 'secret-token' }), cfg, true).ok).toBe(true);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopbackAddress)).toBe(true);
    expect(['0.0.0.0', '192.168.1.10', '::', 'example.com'].some(isLoopbackAddress)).toBe(false);
    expect(cookieValue(' x=1 ; y=2', 'y')).toBe('2');
  });
});
