// Navigation rules of the app window (pure functions, tested). The window shows the bundled
// renderer and nothing else: any navigation away from the app's own page is denied, window.open is
// denied (an http(s) link the user clicks may be handed to the system browser instead), webviews
// are never attached and no permission (camera, notifications, ...) is ever granted.

/** True when `target` is the app page itself (same file / same origin and path), e.g. a reload. */
export function isAppUrl(target: string, appUrl: string): boolean {
  let t: URL;
  let a: URL;
  try {
    t = new URL(target);
    a = new URL(appUrl);
  } catch {
    return false; // unparsable: never the app
  }
  if (t.protocol !== a.protocol) return false;
  if (t.protocol === 'file:') return t.pathname === a.pathname;
  return t.origin === a.origin && t.pathname === a.pathname;
}

/** will-navigate: allow only reloading the app page itself. */
export function shouldAllowNavigation(target: string, appUrl: string): boolean {
  return isAppUrl(target, appUrl);
}

/** Links that may be opened in the user's default browser (never file:, javascript:, data: ...). */
export function isSafeExternalUrl(target: string): boolean {
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    return false; // unparsable: not safe
  }
  return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
}

export type WindowOpenDecision = { action: 'deny'; openExternally?: string };

/** setWindowOpenHandler: always deny a new window; a safe http(s) link goes to the system browser. */
export function decideWindowOpen(target: string): WindowOpenDecision {
  return isSafeExternalUrl(target) ? { action: 'deny', openExternally: target } : { action: 'deny' };
}

/** Permission requests (media, geolocation, notifications, clipboard ...): all denied. */
export function allowPermission(_permission: string): boolean {
  return false;
}
