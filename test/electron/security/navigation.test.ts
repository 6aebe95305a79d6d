import { describe, expect, it } from 'vitest';
import { allowPermission, decideWindowOpen, isSafeExternalUrl, shouldAllowNavigation } from '../../../electron/security/navigation';
import { CONTENT_SECURITY_POLICY } from '../../../electron/security/csp';

const APP = 'file:///opt/runkey/dist/renderer/index.html';

describe('window navigation rules', () => {
  it('allows only reloading the app page', () => {
    expect(shouldAllowNavigation(APP, APP)).toBe(true);
    expect(shouldAllowNavigation(`${APP}#finding-3`, APP)).toBe(true);
    expect(shouldAllowNavigation('file:///etc/passwd', APP)).toBe(false);
    expect(shouldAllowNavigation('https://attacker.example/', APP)).toBe(false);
    expect(shouldAllowNavigation('javascript:alert(1)', APP)).toBe(false);
    expect(shouldAllowNavigation('not a url', APP)).toBe(false);
    expect(shouldAllowNavigation('http://127.0.0.1:8000/', 'http://127.0.0.1:8001/')).toBe(false);
  });

  it('denies every new window and hands only plain http(s) links to the system browser', () => {
    expect(decideWindowOpen('https://attack.mitre.org/techniques/T1547/001/')).toEqual({ action: 'deny', openExternally: 'https://attack.mitre.org/techniques/T1547/001/' });
    for (const u of ['file:///C:/Windows/System32/calc.exe', 'javascript:alert(1)', 'data:text/html,<script>1</script>', 'https://user:pw@example.com/', 'ms-msdt:/id', 'garbage']) {
      expect(decideWindowOpen(u)).toEqual({ action: 'deny' });
      expect(isSafeExternalUrl(u)).toBe(false);
    }
  });

  it('denies every permission request', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) expect(allowPermission(p)).toBe(false);
  });

  it('has a CSP without inline script or eval', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });
});
