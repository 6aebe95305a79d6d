// Known-good baseline. A versioned JSON format (parsed with zod from unknown) whose entries say who
// approved what and why, matching a finding by exact value, by normalized value, by key + value
// name + writer image, or by host; plus a built-in list of known-good software matched on name AND
// path AND writer (never the name alone, so a malicious value under a known-good name stays loud).
// A baselined finding is kept and marked, never dropped; strong malicious indicators are never
// silenced (status 'baselined-but-suspicious'). A bad baseline file yields problems, not a throw.

import { z } from 'zod';
import type { BaselineMatch } from '../model/finding';
import { locationKeyForm } from './catalog';
import { normalizeValue } from './normalize-value';
import { imageName } from './paths';

export const BASELINE_FORMAT_VERSION = 1;

const matchSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exact-value'), value: z.string().min(1) }),
  z.object({ kind: z.literal('normalized-value'), value: z.string().min(1) }),
  z.object({
    kind: z.literal('key-name-writer'),
    registryKey: z.string().min(1),
    valueName: z.string(),
    /** Full path or file name of the writing process. */
    writerImage: z.string().min(1),
  }),
  z.object({ kind: z.literal('host'), host: z.string().min(1) }),
]);

export const baselineEntrySchema = z.object({
  id: z.string().min(1),
  analyst: z.string().default(''),
  reason: z.string().default(''),
  /** ISO 8601 date the entry was approved. */
  date: z.string().default(''),
  enabled: z.boolean().default(true),
  /** Restricts the entry: only these hosts / only this autostart location id. */
  scope: z.object({ hosts: z.array(z.string()).optional(), location: z.string().optional() }).default({}),
  match: matchSchema,
});

export const baselineSchema = z.object({
  format: z.literal('runkey-hunter-baseline'),
  version: z.literal(BASELINE_FORMAT_VERSION),
  name: z.string().optional(),
  entries: z.array(baselineEntrySchema),
});

export type BaselineEntry = z.infer<typeof baselineEntrySchema>;
export type Baseline = z.infer<typeof baselineSchema>;

export const EMPTY_BASELINE: Baseline = { format: 'runkey-hunter-baseline', version: BASELINE_FORMAT_VERSION, entries: [] };

export type BaselineParse = { ok: true; baseline: Baseline } | { ok: false; errors: string[] };

/** Parse a baseline from untrusted JSON (already parsed to unknown). */
export function parseBaseline(input: unknown): BaselineParse {
  const r = baselineSchema.safeParse(input);
  if (r.success) return { ok: true, baseline: r.data };
  return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}

/** What the baseline looks at on a finding (a subset, so candidates can be matched too). */
export interface BaselineSubject {
  host: string;
  location: string;
  registryKey?: string;
  valueName?: string;
  value: string;
  normalizedValue: string;
  writerImage?: string;
}

/** Built-in known-good software: name AND data AND writer must all match. */
export interface BuiltinEntry {
  id: string;
  label: string;
  locations: readonly string[];
  name: RegExp;
  value: RegExp;
  writer: RegExp;
}

const SYS = String.raw`^"?(c:\\windows|%systemroot%|%windir%)\\(system32|syswow64)\\`;

export const BUILTIN_BASELINE: readonly BuiltinEntry[] = [
  { id: 'builtin:onedrive', label: 'Microsoft OneDrive', locations: ['run'], name: /^onedrive(setup)?$/i, value: /^"?[a-z]:\\(users\\[^\\]+\\appdata\\local\\microsoft\\onedrive|program files( \(x86\))?\\microsoft( |\\)onedrive)\\([\d.]+\\)?onedrive(setup)?\.exe"?( \/background| \/thfirstsetup)*$/i, writer: /\\(onedrive|onedrivesetup|explorer|onedrivestandaloneupdater)\.exe$/i },
  { id: 'builtin:teams-classic', label: 'Microsoft Teams (classic)', locations: ['run'], name: /^com\.squirrel\.teams\.teams$/i, value: /^"?[a-z]:\\users\\[^\\]+\\appdata\\local\\microsoft\\teams\\update\.exe"? --processstart "teams\.exe"( --process-start-args "--system-initiated")?$/i, writer: /\\appdata\\local\\microsoft\\teams\\(current\\teams|update)\.exe$/i },
  { id: 'builtin:teams-installer', label: 'Teams Machine-Wide Installer', locations: ['run'], name: /^teamsmachine(installer|uninstaller\w*)$/i, value: /\\teams installer\\teams\.exe"? --checkinstall --source=default$/i, writer: /\\msiexec\.exe$/i },
  { id: 'builtin:securityhealth', label: 'Windows Security notification icon', locations: ['run'], name: /^securityhealth$/i, value: /^"?(c:\\windows|%systemroot%|%windir%)\\system32\\securityhealthsystray\.exe"?$/i, writer: /\\(explorer|securityhealthservice|svchost|msiexec|tiworker|setuphost|trustedinstaller)\.exe$/i },
  { id: 'builtin:defender-ui', label: 'Windows Defender UI', locations: ['run'], name: /^windows ?defender$/i, value: /^"?(%%?programfiles%%?|c:\\program files)\\windows defender\\msascuil?\.exe"?( -hide| -runkey)*$/i, writer: /\\(msmpeng|mpcmdrun|msiexec|tiworker|svchost)\.exe$/i },
  { id: 'builtin:edge-update', label: 'Microsoft Edge Update', locations: ['run'], name: /^(microsoftedgeautolaunch_[0-9a-f]+|microsoft edge update)$/i, value: /\\microsoft\\edge(update)?\\application\\([\d.]+\\)?msedge\.exe"? --no-startup-window --win-session-start/i, writer: /\\microsoft\\edge(update)?\\application\\([\d.]+\\)?(msedge|setup|installer\\setup)\.exe$/i },
  { id: 'builtin:vmware-tools', label: 'VMware Tools', locations: ['run'], name: /^vmware (user process|vm3dservice process|tools)$/i, value: /^"?c:\\program files\\vmware\\vmware tools\\(vmtoolsd\.exe"? -n vmusr|vm3dservice\.exe"? -n)/i, writer: /\\(msiexec|vmtoolsd|setup64?)\.exe$/i },
  { id: 'builtin:office-c2r', label: 'Office Click-to-Run', locations: ['run', 'runonce'], name: /^(officebackgroundtaskhandler\w*|microsoft office click-to-run\w*|lync|onenote\w*)$/i, value: /^"?c:\\program files( \(x86\))?\\(common files\\microsoft shared\\clicktorun|microsoft office\\root\\office\d+)\\/i, writer: /\\(officeclicktorun|integratedoffice|msiexec)\.exe$/i },
  { id: 'builtin:msiexec-runonce', label: 'Windows Installer rollback / reboot cleanup', locations: ['runonce'], name: /.*/, value: new RegExp(SYS + String.raw`msiexec\.exe"? \/(x|i|fomus|qn|fa|package)\b`, 'i'), writer: /\\(msiexec|trustedinstaller)\.exe$/i },
  { id: 'builtin:wu-delnode', label: 'Windows Update / IE cleanup (DelNodeRunDLL32)', locations: ['runonce'], name: /.*/, value: new RegExp(SYS + String.raw`(rundll32\.exe"?\s+)?[^,]*advpack\.dll"?,delnoderundll32`, 'i'), writer: /\\(rundll32|wusa|tiworker|msiexec|svchost|trustedinstaller|wuauclt)\.exe$/i },
  { id: 'builtin:spotify', label: 'Spotify', locations: ['run'], name: /^spotify( web helper)?$/i, value: /^"?c:\\users\\[^\\]+\\appdata\\roaming\\spotify\\spotify(webhelper)?\.exe"?( --autostart)?( --minimized)?$/i, writer: /\\appdata\\roaming\\spotify\\spotify(launcher)?\.exe$/i },
  { id: 'builtin:discord', label: 'Discord', locations: ['run'], name: /^discord$/i, value: /^"?c:\\users\\[^\\]+\\appdata\\local\\discord\\update\.exe"? --processstart discord\.exe$/i, writer: /\\appdata\\local\\discord\\(app-[\d.]+\\discord|update)\.exe$/i },
  { id: 'builtin:slack', label: 'Slack', locations: ['run'], name: /^com\.squirrel\.slack\.slack$|^slack$/i, value: /^"?c:\\users\\[^\\]+\\appdata\\local\\slack\\(slack|update)\.exe"?( --process-start-args)?( --startup| --processstart "?slack\.exe"?)*$/i, writer: /\\appdata\\local\\slack\\(app-[\d.]+\\)?(slack|update)\.exe$/i },
  { id: 'builtin:dropbox', label: 'Dropbox', locations: ['run'], name: /^dropbox$/i, value: /^"?c:\\(users\\[^\\]+\\appdata\\roaming\\dropbox\\bin|program files( \(x86\))?\\dropbox\\client)\\dropbox\.exe"?( \/systemstartup)?$/i, writer: /\\dropbox\\(bin|client)\\(dropbox|dropboxupdate|dropbox_installer)\.exe$|\\msiexec\.exe$/i },
  { id: 'builtin:zoom', label: 'Zoom', locations: ['run'], name: /^zoom(opener)?$/i, value: /^"?c:\\(users\\[^\\]+\\appdata\\roaming|program files( \(x86\))?)\\zoom\\bin\\zoom\.exe"?( --autostart)?$/i, writer: /\\(appdata\\roaming|program files( \(x86\))?)\\zoom\\bin\\(zoom|installer)\.exe$|\\msiexec\.exe$/i },
  { id: 'builtin:zoom-repair', label: 'Zoom installer repair', locations: ['runonce'], name: /^zoommsirepair$/i, value: /^"?c:\\program files( \(x86\))?\\zoom\\bin\\installer\.exe"? \/repair$/i, writer: /\\zoom\\bin\\installer\.exe$|\\msiexec\.exe$/i },
  { id: 'builtin:winlogon-defaults', label: 'Windows default Winlogon values', locations: ['winlogon-userinit', 'winlogon-shell'], name: /^(userinit|shell)$/i, value: /^(c:\\windows\\system32\\userinit\.exe,?|explorer\.exe)$/i, writer: /\\(svchost|services|trustedinstaller|tiworker|setuphost|winlogon|msoobe)\.exe$/i },
];

export interface BaselineResult {
  match: BaselineMatch;
  /** The entry matched (for explanations). */
  label?: string;
}

function sameKey(a: string, b: string): boolean {
  const fa = locationKeyForm(a);
  const fb = locationKeyForm(b);
  return fa.key === fb.key && (fa.hive === fb.hive || fa.hive === 'unknown' || fb.hive === 'unknown');
}

function writerMatches(entryImage: string, writer: string | undefined): boolean {
  if (!writer) return false;
  const e = entryImage.toLowerCase();
  return e.includes('\\') ? e === writer.toLowerCase() : e === imageName(writer);
}

function userEntryMatches(e: BaselineEntry, s: BaselineSubject): boolean {
  if (!e.enabled) return false;
  if (e.scope.hosts && !e.scope.hosts.some((h) => h.toLowerCase() === s.host.toLowerCase())) return false;
  if (e.scope.location && e.scope.location !== s.location) return false;
  const m = e.match;
  switch (m.kind) {
    case 'exact-value':
      return m.value.trim().toLowerCase() === s.value.trim().toLowerCase();
    case 'normalized-value':
      return normalizeValue(m.value) === s.normalizedValue;
    case 'key-name-writer':
      return s.registryKey !== undefined && sameKey(m.registryKey, s.registryKey)
        && (s.valueName ?? '').toLowerCase() === m.valueName.toLowerCase() && writerMatches(m.writerImage, s.writerImage);
    case 'host':
      return m.host.toLowerCase() === s.host.toLowerCase();
  }
}

/** First matching entry: the user's baseline first, then the built-in list (when enabled). */
export function matchBaseline(s: BaselineSubject, baseline: Baseline, useBuiltin: boolean): BaselineResult | undefined {
  for (const e of baseline.entries) {
    if (userEntryMatches(e, s)) {
      return { match: { status: 'baselined', entryId: e.id, scope: describeScope(e), reason: e.reason, analyst: e.analyst }, label: e.reason || e.id };
    }
  }
  if (!useBuiltin) return undefined;
  const value = s.value.trim();
  if (s.writerImage === undefined) return undefined;
  const bare = !/[\\/]/.test(s.writerImage);
  const writer = bare ? writerBesidePayload(s.writerImage, value) : s.writerImage;
  for (const b of BUILTIN_BASELINE) {
    if (!b.locations.includes(s.location)) continue;
    if (b.name.test(s.valueName ?? '') && b.value.test(value) && b.writer.test(writer)) {
      const reason = `known-good: ${b.label}${bare ? ' (the writer is known by file name only)' : ''}`;
      return { match: { status: 'baselined', entryId: b.id, scope: 'built-in', reason }, label: b.label };
    }
  }
  return undefined;
}

/**
 * A writer known by file name only (Defender exports often leave InitiatingProcessFolderPath out)
 * taken to run from the payload's folder, as software registering itself does; name and data must
 * still match the entry.
 */
function writerBesidePayload(name: string, value: string): string {
  const folder = /^"?([a-z]:\\[^"]*\\)[^\\"]+\.exe\b/i.exec(value)?.[1];
  return folder ? folder + name : name;
}

function describeScope(e: BaselineEntry): string {
  const parts: string[] = [];
  if (e.scope.hosts) parts.push(`hosts ${e.scope.hosts.join(', ')}`);
  if (e.scope.location) parts.push(`location ${e.scope.location}`);
  return parts.length ? parts.join('; ') : 'all hosts';
}
