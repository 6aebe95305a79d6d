// The one catalog of autostart locations. Each entry is data: a key pattern written with '/' as
// the segment separator (so no doubled backslashes can creep in), optional value names (value-level
// locations such as Winlogon Userinit must not fire on other values of the same key), a base weight
// and ATT&CK ids. Matching is case-insensitive on the canonical path (registry-path.ts), SID-agnostic
// (HKU\<any SID>\ = HKCU\), WOW6432Node-agnostic and ControlSetNNN-agnostic. Unknown or malformed
// paths simply do not match.

import { parseRegistryPath } from '../model/registry-path';
import type { Severity } from '../model/finding';
import { StringCache } from './collections';

export type LocationScope = 'machine' | 'user' | 'any';

export interface AutostartLocation {
  id: string;
  title: string;
  /** Key below the hive, lower-case, '/'-separated; '*' is one segment; '**' is one or more. */
  keys: readonly string[];
  /** Lower-case value names this location covers; absent = every value of the key. */
  values?: readonly string[];
  scope: LocationScope;
  baseWeight: number;
  attack: readonly string[];
  /** Severity never goes above this for this location (noisy places that are other techniques). */
  maxSeverity?: Severity;
  /** Why the location autostarts, for explanations. */
  note: string;
  /** 'state': the data is a flag about another entry (StartupApproved), never a command to run. */
  data?: 'state';
}

const CV = 'software/microsoft/windows/currentversion';
const NTCV = 'software/microsoft/windows nt/currentversion';
const TS_INSTALL = `${NTCV}/terminal server/install/${CV}`;

export const AUTOSTART_LOCATIONS: readonly AutostartLocation[] = [
  { id: 'run', title: 'Run key', keys: [`${CV}/run`, `${TS_INSTALL}/run`], scope: 'any', baseWeight: 20, attack: ['T1547.001'], note: 'runs at every logon' },
  { id: 'runonce', title: 'RunOnce key', keys: [`${CV}/runonce`, `${TS_INSTALL}/runonce`, `${CV}/runonce/setup`], scope: 'any', baseWeight: 20, attack: ['T1547.001'], note: 'runs at the next logon, then the value is deleted' },
  { id: 'runonceex', title: 'RunOnceEx key', keys: [`${CV}/runonceex/*`, `${CV}/runonceex/*/depend`, `${TS_INSTALL}/runonceex/*`], scope: 'any', baseWeight: 20, attack: ['T1547.001'], note: 'runs once at the next logon (RunOnceEx entries and their Depend DLLs)' },
  { id: 'runservices', title: 'RunServices key', keys: [`${CV}/runservices`, `${CV}/runservicesonce`], scope: 'any', baseWeight: 25, attack: ['T1547.001'], note: 'legacy boot-time autostart, unused by modern software' },
  { id: 'policies-run', title: 'Policies\\Explorer\\Run key', keys: [`${CV}/policies/explorer/run`], scope: 'any', baseWeight: 30, attack: ['T1547.001'], note: 'policy-controlled logon autostart, rarely used by software' },
  { id: 'winlogon-userinit', title: 'Winlogon Userinit', keys: [NTCV + '/winlogon'], values: ['userinit'], scope: 'any', baseWeight: 25, attack: ['T1547.004'], note: 'programs started by Winlogon at every logon' },
  { id: 'winlogon-shell', title: 'Winlogon Shell', keys: [NTCV + '/winlogon'], values: ['shell'], scope: 'any', baseWeight: 25, attack: ['T1547.004'], note: 'the user shell started at logon' },
  { id: 'winlogon-taskman', title: 'Winlogon Taskman', keys: [NTCV + '/winlogon'], values: ['taskman'], scope: 'any', baseWeight: 30, attack: ['T1547.004'], note: 'the task manager Winlogon starts' },
  { id: 'winlogon-notify', title: 'Winlogon Notify package', keys: [`${NTCV}/winlogon/notify/*`], scope: 'machine', baseWeight: 30, attack: ['T1547.004'], note: 'DLLs Winlogon loads on logon events' },
  { id: 'windows-load', title: 'Windows\\Load / Run value', keys: [NTCV + '/windows'], values: ['load', 'run'], scope: 'any', baseWeight: 30, attack: ['T1547.001'], note: 'legacy logon autostart values' },
  { id: 'bootexecute', title: 'Session Manager BootExecute', keys: ['system/currentcontrolset/control/session manager'], values: ['bootexecute', 'setupexecute', 'execute', 's0initialcommand'], scope: 'machine', baseWeight: 30, attack: ['T1547.001'], note: 'native programs smss.exe runs at boot' },
  { id: 'shell-folders-startup', title: 'Startup folder redirection (Shell Folders)', keys: [`${CV}/explorer/user shell folders`, `${CV}/explorer/shell folders`], values: ['startup', 'common startup'], scope: 'any', baseWeight: 30, attack: ['T1547.001'], note: 'moves the Startup folder whose contents run at logon' },
  { id: 'startup-approved', title: 'StartupApproved state', keys: [`${CV}/explorer/startupapproved/run`, `${CV}/explorer/startupapproved/run32`, `${CV}/explorer/startupapproved/startupfolder`], scope: 'any', baseWeight: 5, attack: ['T1547.001'], maxSeverity: 'low', data: 'state', note: 'enables or disables a Run / Startup entry (Task Manager state)' },
  { id: 'rdp-startup-programs', title: 'RDP StartupPrograms', keys: ['system/currentcontrolset/control/terminal server/wds/rdpwd'], values: ['startupprograms'], scope: 'machine', baseWeight: 30, attack: ['T1547.001'], note: 'programs started in every new RDP session' },
  { id: 'boot-verification', title: 'BootVerificationProgram', keys: ['system/currentcontrolset/control/bootverificationprogram'], values: ['imagepath'], scope: 'machine', baseWeight: 35, attack: ['T1547.001'], note: 'program the service controller runs after a successful boot' },
  { id: 'recycle-bin-open', title: 'Recycle Bin open command', keys: ['software/classes/clsid/{645ff040-5081-101b-9f08-00aa002f954e}/shell/**'], scope: 'any', baseWeight: 30, attack: ['T1547.001'], note: 'runs when the user opens the Recycle Bin' },
  { id: 'context-menu-command', title: 'Desktop context-menu command', keys: ['software/classes/directory/background/shell/*/command'], scope: 'any', baseWeight: 15, attack: ['T1547.001'], maxSeverity: 'high', note: 'runs when the user picks the desktop context-menu entry' },
  { id: 'inprocserver32', title: 'COM InprocServer32 (default value)', keys: ['software/classes/clsid/*/inprocserver32'], values: ['(default)'], scope: 'any', baseWeight: 2, attack: ['T1546.015'], maxSeverity: 'low', note: 'the DLL loaded for a COM class; extremely noisy, and hijacking it is T1546.015 rather than a Run key: shown for context, capped at low' },
];

export const STARTUP_FOLDER: AutostartLocation = {
  id: 'startup-folder', title: 'Startup folder', keys: [], scope: 'any', baseWeight: 20, attack: ['T1547.001'],
  note: 'files in a Startup folder run at logon',
};

export const LOCATION_BY_ID: ReadonlyMap<string, AutostartLocation> = new Map(
  [...AUTOSTART_LOCATIONS, STARTUP_FOLDER].map((l) => [l.id, l]),
);

export interface LocationKeyForm {
  /** Lower-case, '/'-separated, without hive, SID, WOW6432Node, ControlSetNNN. */
  key: string;
  hive: 'machine' | 'user' | 'unknown';
  wow64: boolean;
}

/**
 * The form of a canonical key path the catalog matches on. Cached (a log writes the same keys over
 * and over); the result is shared and frozen.
 */
export function locationKeyForm(registryKey: string): LocationKeyForm {
  return keyForms.get(registryKey, keyFormOf);
}

const keyForms = new StringCache<LocationKeyForm>();

function keyFormOf(registryKey: string): LocationKeyForm {
  const p = parseRegistryPath(registryKey);
  let sub = p.subPath.toLowerCase().replace(/\\+/g, '/').replace(/^\/+|\/+$/g, '');
  let hive: LocationKeyForm['hive'] = 'unknown';
  if (p.hive === 'HKLM') hive = 'machine';
  else if (p.hive === 'HKU' || p.hive === 'HKCU') hive = 'user';
  if (p.hive === 'HKCR' || (p.sid && /_classes$/i.test(p.sid))) sub = 'software/classes/' + sub;
  if (p.hive === 'HKU' && p.sid === '.DEFAULT') hive = 'user';
  sub = sub.replace(/^system\/controlset\d{3}\//, 'system/currentcontrolset/');
  let wow64 = false;
  const stripped = sub.replace(/^software\/wow6432node\//, 'software/').replace(/^software\/classes\/wow6432node\//, 'software/classes/');
  if (stripped !== sub) wow64 = true;
  return Object.freeze({ key: stripped, hive, wow64 });
}

function patternToRe(pattern: string): RegExp {
  const parts = pattern.split('/').map((seg) =>
    seg === '**' ? '[^/]+(?:/[^/]+)*' : seg === '*' ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  return new RegExp('^' + parts.join('/') + '$');
}

const COMPILED: ReadonlyArray<{ loc: AutostartLocation; res: RegExp[] }> = AUTOSTART_LOCATIONS.map((loc) => ({
  loc,
  res: loc.keys.map(patternToRe),
}));

/** Quick pre-filter on the last key segments, so most registry events cost one split. */
const LAST_SEGMENTS = new Set([
  'run', 'runonce', 'depend', 'runservices', 'runservicesonce', 'winlogon', 'windows', 'session manager', 'user shell folders',
  'shell folders', 'run32', 'startupfolder', 'rdpwd', 'bootverificationprogram', 'inprocserver32', 'command', 'setup',
]);

function mayBeLocation(registryKey: string): boolean {
  const i = registryKey.lastIndexOf('\\');
  const last = registryKey.slice(i + 1).toLowerCase();
  if (LAST_SEGMENTS.has(last)) return true;
  const j = registryKey.lastIndexOf('\\', i - 1);
  const parent = registryKey.slice(j + 1, i).toLowerCase();
  // the Recycle Bin CLSID: its digits-only run '-5081-101' is case-free, so test that before lower-casing the key
  return parent === 'runonceex' || parent === 'notify' || (registryKey.includes('-5081-101') && registryKey.toLowerCase().includes('{645ff040-5081-101b-9f08-00aa002f954e}'));
}

export interface LocationMatch {
  location: AutostartLocation;
  wow64: boolean;
  hive: LocationKeyForm['hive'];
}

/** The catalog location a key (+ value name) belongs to, or undefined. */
export function matchRegistryLocation(registryKey: string, valueName: string | undefined): LocationMatch | undefined {
  if (!mayBeLocation(registryKey)) return undefined;
  const { form, locs } = keyLocations(registryKey);
  if (!locs.length) return undefined;
  const vn = valueName?.toLowerCase();
  for (const loc of locs) {
    if (loc.scope === 'machine' && form.hive === 'user') continue;
    if (loc.values && (vn === undefined || !loc.values.includes(vn))) continue;
    return { location: loc, wow64: form.wow64, hive: form.hive };
  }
  return undefined;
}

/** Key-level match (any value of a catalog key), for deletions of whole keys. */
export function matchRegistryKey(registryKey: string): AutostartLocation | undefined {
  if (!mayBeLocation(registryKey)) return undefined;
  return keyLocations(registryKey).locs[0];
}

/** A key's catalog form and every location whose key patterns it matches, in catalog order (cached). */
function keyLocations(registryKey: string): { form: LocationKeyForm; locs: readonly AutostartLocation[] } {
  return keyLocs.get(registryKey, (k) => {
    const form = locationKeyForm(k);
    return Object.freeze({ form, locs: Object.freeze(COMPILED.filter(({ res }) => res.some((re) => re.test(form.key))).map(({ loc }) => loc)) });
  });
}

const keyLocs = new StringCache<{ form: LocationKeyForm; locs: readonly AutostartLocation[] }>();

/** Patterns of the keys that hold autostart keys (a catalog key minus its last segment). */
const PARENT_RES: readonly RegExp[] = [...new Set(AUTOSTART_LOCATIONS.flatMap((l) => l.keys)
  .map((k) => k.slice(0, k.lastIndexOf('/'))).filter((k) => k.length > 0))].map(patternToRe);

/**
 * A key created directly under a key that holds autostart keys (CurrentVersion, Policies\Explorer,
 * Winlogon ...): it may be renamed into one later (regedit creates "New Key #1", then renames it).
 */
export function isUnderAutostartParent(registryKey: string): boolean {
  const i = registryKey.lastIndexOf('\\');
  if (i < 0) return false;
  const parent = locationKeyForm(registryKey.slice(0, i)).key;
  return PARENT_RES.some((re) => re.test(parent));
}

/**
 * A file path inside a Startup folder: per-user (...\AppData\Roaming\Microsoft\Windows\Start Menu\
 * Programs\Startup\) or all users (ProgramData), local or through \\tsclient\ / UNC.
 */
const STARTUP_FILE_RE = /\\microsoft\\windows\\start menu\\programs\\startup\\([^\\]+)$/i;
const STARTUP_LEGACY_RE = /\\(start menu\\programs\\startup|startmenu\\programs\\startup)\\([^\\]+)$/i;

export function matchStartupFile(path: string): { fileName: string; folder: string } | undefined {
  const m = STARTUP_FILE_RE.exec(path) ?? STARTUP_LEGACY_RE.exec(path);
  if (!m) return undefined;
  const fileName = m[m.length - 1];
  return { fileName, folder: path.slice(0, path.length - fileName.length - 1) };
}
