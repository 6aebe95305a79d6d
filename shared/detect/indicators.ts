// Per-event indicators. Each is a small rule registered in INDICATORS: an id, a default weight,
// ATT&CK ids, whether it is a strong malicious sign (one a baseline match may not silence), and a
// test that returns what matched and a sentence explaining it in this event's terms. The scorer only
// adds the weights up. Indicators read a prepared context and never throw.

import type { NetworkLogon, Reason } from '../model/finding';
import type { AutostartLocation } from './catalog';
import { classifyFolder, expandEnv, imageName, isNonStandardRoot, networkPathKind, baseName } from './paths';
import { findBase64Token, hasCaretObfuscation, POWERSHELL_RE } from './encoded-powershell';

export interface IndicatorContext {
  basis: 'registry' | 'startup-file' | 'command-line' | 'hive';
  location: AutostartLocation;
  valueName?: string;
  /** The data written (value data), or for startup-file the file path. */
  value: string;
  /** Lower-case, deobfuscated, env-expanded value. */
  valueLower: string;
  /** Decoded PowerShell (lower-case) when the value holds any. */
  decodedLower?: string;
  payloadPath?: string;
  payloadLower?: string;
  writerImage?: string;
  writerName: string;
  writerCommandLine?: string;
  parentImage?: string;
  user?: string;
  /** False when the data cannot be a command (a state flag, a number, Sysmon's "Binary Data"). */
  dataIsCommand: boolean;
  /**
   * The case stage's view of the writer (shared/detect/writer-context): its start and its
   * ancestors, nearest first, and the network logon that carried the write. Absent per event.
   */
  writerChain?: ReadonlyArray<{ image?: string; commandLine?: string }>;
  networkLogon?: NetworkLogon;
}

export interface IndicatorHit {
  matched: string;
  explanation: string;
  /** Overrides the default weight (e.g. a stronger variant of the same sign). */
  weight?: number;
  attack?: string[];
}

export interface Indicator {
  id: string;
  title: string;
  weight: number;
  attack: readonly string[];
  /** A strong malicious sign: a baseline match never silences it without saying so. */
  strong: boolean;
  /** Reads only the writer or the value name, so it holds whatever the data is. */
  ignoresData?: true;
  test(ctx: IndicatorContext): IndicatorHit | undefined;
}

const SCRIPT_EXT = /\.(vbs|vbe|js|jse|wsf|wsh|hta|bat|cmd|ps1|psm1|scr|pif|sct|url|jar|py)$/i;
const DOUBLE_EXT = /\.(pdf|docx?|xlsx?|pptx?|txt|jpe?g|png|gif|rtf|zip|rar|mp3|mp4|html?)\.(exe|scr|pif|com|bat|cmd|vbs|js|jse|hta|lnk|ps1)$/i;

/** Text to scan for PowerShell / LOLBin signs: the value plus any decoded PowerShell. */
function scanText(ctx: IndicatorContext): string {
  return ctx.decodedLower ? `${ctx.valueLower}\n${ctx.decodedLower}` : ctx.valueLower;
}

function snippet(s: string, re: RegExp): string {
  const m = re.exec(s);
  return m ? m[0].trim() : '';
}

function hit(matched: string, explanation: string, extra: Partial<IndicatorHit> = {}): IndicatorHit {
  return { matched, explanation, ...extra };
}

/** Writers that have no business writing autostart entries in normal operation. */
const UNUSUAL_WRITERS = new Set([
  'cmd.exe', 'powershell.exe', 'pwsh.exe', 'powershell_ise.exe', 'reg.exe', 'regedit.exe', 'regedt32.exe', 'wscript.exe', 'cscript.exe',
  'mshta.exe', 'rundll32.exe', 'regsvr32.exe', 'python.exe', 'pythonw.exe', 'python3.exe', 'wmic.exe', 'wmiprvse.exe', 'winword.exe',
  'excel.exe', 'powerpnt.exe', 'outlook.exe', 'msaccess.exe', 'mspub.exe', 'onenote.exe', 'certutil.exe', 'bitsadmin.exe',
  'msbuild.exe', 'installutil.exe', 'cmstp.exe', 'forfiles.exe', 'conhost.exe', 'bash.exe', 'wsl.exe', 'java.exe', 'javaw.exe',
  'node.exe', 'hh.exe', 'scriptrunner.exe', 'schtasks.exe', 'at.exe', 'mstsc.exe',
]);
const OFFICE = /^(winword|excel|powerpnt|outlook|msaccess|mspub|onenote)\.exe$/;

/** Known software names and where that software really lives (masquerading check). */
export const KNOWN_NAMES: ReadonlyArray<{ name: RegExp; label: string; path: RegExp }> = [
  { name: /onedrive/i, label: 'OneDrive', path: /\\microsoft\\onedrive\\|\\microsoft onedrive\\/ },
  { name: /teams/i, label: 'Microsoft Teams', path: /\\microsoft\\teams\\|\\windowsapps\\msteams|\\teams installer\\|\\microsoft\\teamsmeetingadd/ },
  { name: /securityhealth/i, label: 'Windows Security', path: /^"?c:\\windows\\system32\\securityhealth(systray|service)\.exe|^%windir%\\system32\\securityhealth|^c:\\windows\\system32\\securityhealthsystray\.exe/ },
  { name: /windows ?defender|msascui/i, label: 'Windows Defender', path: /\\windows defender\\msascuil?\.exe|\\microsoft\\windows defender\\/ },
  { name: /^(ms)?edge|microsoftedge/i, label: 'Microsoft Edge', path: /\\microsoft\\edge(update|webview)?\\/ },
  { name: /google ?update|googleupdate|chrome/i, label: 'Google Update / Chrome', path: /\\google\\(update|chrome)\\/ },
  { name: /adobe|acrobat/i, label: 'Adobe', path: /\\adobe\\|\\common files\\adobe/ },
  { name: /vmware/i, label: 'VMware Tools', path: /\\vmware\\/ },
  { name: /spotify/i, label: 'Spotify', path: /\\spotify\\spotify\.exe/ },
  { name: /discord/i, label: 'Discord', path: /\\discord\\update\.exe/ },
  { name: /zoom/i, label: 'Zoom', path: /\\zoom\\bin\\/ },
  { name: /dropbox/i, label: 'Dropbox', path: /\\dropbox\\/ },
  { name: /^(windows|microsoft|ms)\s*update|^wuauclt|^update$|^updater$|^windowsupdate/i, label: 'Windows Update', path: /^$/ },
  { name: /^svchost|^explorer$|^lsass|^csrss|^winlogon|^taskhost|^rundll32$|^system$/i, label: 'a Windows system process', path: /^$/ },
];

/** "by THESHIRE\\admin from 10.0.2.17 (WKS02) at ...": the logon in a sentence, or ''. */
export function logonClause(l: NetworkLogon | undefined): string {
  if (!l) return '';
  const from = [l.sourceIp, l.workstation && l.workstation !== l.sourceIp ? `(${l.workstation})` : undefined].filter(Boolean).join(' ');
  return ` It came in over the network logon (4624 type ${l.logonType}) of ${l.account ?? 'an unnamed account'}${from ? ` from ${from}` : ''} at ${l.time}.`;
}

const REMOTE_REGISTRY = /(?:^|\s|")-s\s+remoteregistry\b|\bremoteregistry\b/i;

function isScriptHostOrShell(v: string): boolean {
  return /\b(powershell|pwsh|cmd|wscript|cscript|mshta|rundll32|regsvr32)(\.exe)?\b/i.test(v);
}

export const INDICATORS: ReadonlyMap<string, Indicator> = new Map<string, Indicator>(
  ([
    {
      id: 'path.user-writable', title: 'Payload in a user-writable or odd folder', weight: 20, attack: [], strong: false,
      test: (ctx) => {
        if (ctx.basis === 'startup-file') return undefined; // a Startup folder is always under AppData / ProgramData
        const p = ctx.payloadLower ?? ctx.valueLower;
        const c = classifyFolder(p);
        if (!c) return undefined;
        return hit(ctx.payloadPath ?? ctx.value, `The payload is in ${c.label}, where any user (or malware running as one) can write.`, { weight: c.weight });
      },
    },
    {
      id: 'path.temp', title: 'Payload in a temporary folder', weight: 0, attack: [], strong: true,
      test: (ctx) => {
        if (ctx.basis === 'startup-file') return undefined;
        const p = ctx.payloadLower ?? ctx.valueLower;
        const c = classifyFolder(p);
        return c && ['temp', 'recycle-bin', 'perflogs', 'public', 'downloads', 'windows-writable'].includes(c.id)
          ? hit(c.label, `Autostart payloads do not live in ${c.label}: software installs elsewhere.`, { weight: 0 })
          : undefined;
      },
    },
    {
      id: 'path.network', title: 'Payload on a network share or WebDAV', weight: 35, attack: [], strong: true,
      test: (ctx) => {
        const k = networkPathKind(ctx.valueLower);
        if (!k) return undefined;
        const where = k === 'webdav' ? 'a WebDAV server' : k === 'tsclient' ? "the RDP client's drive (\\\\tsclient)" : 'a UNC network share';
        return hit(snippet(ctx.valueLower, /\\\\[^\s"']+/), `The autostart entry runs a file from ${where}, so the payload never has to touch the local disk.`);
      },
    },
    {
      id: 'path.nonstandard-root', title: 'Payload in a non-standard folder at the drive root', weight: 15, attack: [], strong: false,
      test: (ctx) => {
        const p = ctx.payloadLower;
        return p && isNonStandardRoot(p) ? hit(ctx.payloadPath ?? p, `The payload is in ${p.split('\\').slice(0, 2).join('\\')}\\, not under Program Files or Windows where installed software lives.`) : undefined;
      },
    },
    {
      id: 'powershell.in-autostart', title: 'PowerShell started at logon', weight: 20, attack: ['T1059.001'], strong: false,
      test: (ctx) => (ctx.basis !== 'startup-file' && POWERSHELL_RE.test(ctx.valueLower) ? hit(snippet(ctx.valueLower, POWERSHELL_RE), 'The autostart entry starts PowerShell, which legitimate software rarely does at logon.') : undefined),
    },
    {
      id: 'powershell.encoded', title: 'Encoded PowerShell command', weight: 50, attack: ['T1059.001', 'T1027'], strong: true,
      test: (ctx) => {
        if (!POWERSHELL_RE.test(ctx.valueLower)) return undefined;
        const m = /(?:^|\s)[-/\u2013\u2014](e|ec|en|enc\w*)\s+(\S+)/i.exec(ctx.valueLower);
        if (!m) return undefined;
        return hit(m[0].trim(), ctx.decodedLower !== undefined
          ? 'PowerShell is given a Base64-encoded command (-EncodedCommand), hiding what it runs; the decoded text is shown with the finding.'
          : 'PowerShell is given an encoded command (-EncodedCommand) whose text is not in the value itself (it is read from elsewhere at run time).');
      },
    },
    {
      id: 'powershell.hidden-window', title: 'PowerShell with a hidden window', weight: 15, attack: ['T1564.003'], strong: false,
      test: (ctx) => {
        const re = /(?:^|\s)[-/]w(?:i|in|ind|indo|indow|indows|indowst|indowsty|indowstyl|indowstyle)?\s+(hidden|1)\b/i;
        return POWERSHELL_RE.test(ctx.valueLower) && re.test(ctx.valueLower) ? hit(snippet(ctx.valueLower, re), 'PowerShell is told to hide its window, so the user never sees it run.') : undefined;
      },
    },
    {
      id: 'powershell.bypass', title: 'PowerShell with -NoProfile / ExecutionPolicy Bypass', weight: 10, attack: ['T1059.001'], strong: false,
      test: (ctx) => {
        const re = /\bbypass\b|\bunrestricted\b|(?:^|\s)[-/]nop(?:rofile)?\b|(?:^|\s)[-/]noni(?:nteractive)?\b/i;
        return POWERSHELL_RE.test(ctx.valueLower) && re.test(ctx.valueLower) ? hit(snippet(ctx.valueLower, re), 'PowerShell is started with switches that skip the profile or the execution policy, typical of attack tooling.') : undefined;
      },
    },
    {
      id: 'powershell.iex', title: 'Invoke-Expression (IEX) of dynamic code', weight: 35, attack: ['T1059.001'], strong: true,
      test: (ctx) => {
        // IEX as a word: not iexplore.exe, not "index"
        const re = /(?<![\w.\\-])(iex|invoke-expression)(?![\w.-])/i;
        const t = scanText(ctx);
        return re.test(t) ? hit(snippet(t, re), 'The command runs code built at run time with Invoke-Expression (IEX), the core of most PowerShell download cradles.') : undefined;
      },
    },
    {
      id: 'powershell.download', title: 'Download cradle', weight: 45, attack: ['T1059.001', 'T1105'], strong: true,
      test: (ctx) => {
        const re = /downloadstring|downloadfile|downloaddata|net\.webclient|invoke-webrequest|(?<![\w-])iwr(?![\w-])|invoke-restmethod|(?<![\w-])irm(?![\w-])|start-bitstransfer|msxml2\.xmlhttp|winhttp\.winhttprequest/i;
        const t = scanText(ctx);
        return re.test(t) ? hit(snippet(t, re), 'The command downloads code from the network when it runs, so the real payload is not on disk.') : undefined;
      },
    },
    {
      id: 'powershell.frombase64', title: 'Base64 decoding in the command', weight: 30, attack: ['T1027', 'T1140'], strong: true,
      test: (ctx) => {
        const re = /frombase64string|\[convert\]::frombase64|-decode\b/i;
        const t = scanText(ctx);
        return re.test(t) ? hit(snippet(t, re), 'The command decodes Base64 data at run time, a common way to hide a payload.') : undefined;
      },
    },
    {
      id: 'obfuscation.caret', title: 'cmd.exe caret / quote obfuscation', weight: 25, attack: ['T1027'], strong: true,
      test: (ctx) => (hasCaretObfuscation(ctx.value) ? hit(snippet(ctx.value, /\S*\w\^\w\S*/), 'The command is broken up with ^ escapes so that simple string matching misses it.') : undefined),
    },
    {
      id: 'lolbin.mshta', title: 'mshta running a script or URL', weight: 35, attack: ['T1218.005'], strong: true,
      test: (ctx) => {
        if (!/\bmshta(\.exe)?\b/i.test(ctx.valueLower)) return undefined;
        const abuse = /\bmshta(\.exe)?["']?\s+["']?(https?:|javascript:|vbscript:|about:)/i.test(ctx.valueLower);
        return hit(snippet(ctx.valueLower, /mshta(\.exe)?["']?\s+\S+/), abuse
          ? 'mshta runs script code or a remote HTA straight from the command line, a classic proxy-execution trick.'
          : 'mshta runs an HTML application at logon; few legitimate programs do this.', { weight: abuse ? 50 : 35 });
      },
    },
    {
      id: 'lolbin.rundll32', title: 'rundll32 abuse', weight: 35, attack: ['T1218.011'], strong: true,
      test: (ctx) => {
        if (!/\brundll32(\.exe)?\b/i.test(ctx.valueLower)) return undefined;
        if (/javascript:|vbscript:|mshtml,runhtmlapplication/i.test(ctx.valueLower)) return hit(snippet(ctx.valueLower, /javascript:|vbscript:|mshtml,runhtmlapplication/i), 'rundll32 runs inline script (javascript: / RunHTMLApplication), a well-known proxy-execution trick.', { weight: 50 });
        const dll = ctx.payloadLower;
        if (dll && (classifyFolder(dll) || networkPathKind(dll) || isNonStandardRoot(dll))) return hit(ctx.payloadPath ?? dll, 'rundll32 loads a DLL from a user-writable or unusual folder at logon.');
        return undefined;
      },
    },
    {
      id: 'lolbin.regsvr32', title: 'regsvr32 scriptlet / remote load (Squiblydoo)', weight: 50, attack: ['T1218.010'], strong: true,
      test: (ctx) => {
        const re = /\bregsvr32(\.exe)?\b[^\n]*(\/i:\s*["']?(https?:|\\\\)|scrobj)/i;
        if (re.test(ctx.valueLower)) return hit(snippet(ctx.valueLower, /\/i:\S+|scrobj(\.dll)?/i), 'regsvr32 loads a remote or script component (/i:URL scrobj.dll), the Squiblydoo technique.');
        if (/\bregsvr32(\.exe)?\b/i.test(ctx.valueLower) && ctx.payloadLower && classifyFolder(ctx.payloadLower)) return hit(ctx.payloadPath ?? '', 'regsvr32 registers a DLL from a user-writable folder at logon.', { weight: 30 });
        return undefined;
      },
    },
    {
      id: 'lolbin.download', title: 'certutil / bitsadmin download', weight: 45, attack: ['T1105', 'T1197'], strong: true,
      test: (ctx) => {
        const re = /\bcertutil(\.exe)?\b[^\n]*[-/](urlcache|verifyctl|decode)|\bbitsadmin(\.exe)?\b[^\n]*\/(transfer|addfile|setnotifycmdline)/i;
        return re.test(ctx.valueLower) ? hit(snippet(ctx.valueLower, /(certutil|bitsadmin)\S*\s+\S+(\s+\S+)?/i), 'A built-in tool (certutil or bitsadmin) is used to download or decode a payload when the entry fires.') : undefined;
      },
    },
    {
      id: 'lolbin.msiexec', title: 'msiexec installing from a URL or user folder', weight: 40, attack: ['T1218.007'], strong: true,
      test: (ctx) => {
        if (!/\bmsiexec(\.exe)?\b/i.test(ctx.valueLower)) return undefined;
        if (/https?:|\\\\/.test(ctx.valueLower)) return hit(snippet(ctx.valueLower, /(https?:\/\/|\\\\)\S+/), 'msiexec installs a package from the network at logon.');
        if (ctx.payloadLower && /\.msi$/.test(ctx.payloadLower) && classifyFolder(ctx.payloadLower)?.weight && (classifyFolder(ctx.payloadLower)?.weight ?? 0) >= 30) return hit(ctx.payloadPath ?? '', 'msiexec installs a package from a temporary or public folder at logon.', { weight: 25 });
        return undefined;
      },
    },
    {
      id: 'lolbin.proxy', title: 'Proxy execution through a signed Windows binary', weight: 35, attack: ['T1218', 'T1202'], strong: true,
      test: (ctx) => {
        const re = /\b(forfiles(\.exe)?\b[^\n]*\/c|pcalua(\.exe)?\b[^\n]*-a|cmstp(\.exe)?\b[^\n]*\.inf|conhost(\.exe)?["']?\s+(--headless|0xffffffff)|scriptrunner(\.exe)?\b[^\n]*-appvscript|syncappvpublishingserver|infdefaultinstall|odbcconf(\.exe)?\b[^\n]*\/a|msbuild(\.exe)?\b|installutil(\.exe)?\b|regasm(\.exe)?\b|regsvcs(\.exe)?\b|bash(\.exe)?\s+-c|wsl(\.exe)?\s+-e)/i;
        const m = re.exec(ctx.valueLower);
        if (!m) return undefined;
        const attack = /cmstp/.test(m[0]) ? ['T1218.003'] : /msbuild/.test(m[0]) ? ['T1127.001'] : /installutil/.test(m[0]) ? ['T1218.004'] : /regasm|regsvcs/.test(m[0]) ? ['T1218.009'] : ['T1202'];
        return hit(m[0], 'The entry runs its payload through a signed Windows binary that proxies execution, to evade application control.', { attack });
      },
    },
    {
      id: 'script-host', title: 'Script host or interpreter at logon', weight: 25, attack: ['T1059'], strong: false,
      test: (ctx) => {
        const m = /\b(wscript|cscript|python[w3]?|node|java[w]?|hh)(\.exe)?\b/i.exec(ctx.valueLower);
        if (!m) return undefined;
        const attack = /script/.test(m[1]) ? ['T1059.005'] : /python/.test(m[1]) ? ['T1059.006'] : ['T1059'];
        return hit(m[0], `The entry starts ${m[1]}, so the real payload is a script, which is easy to change and hard to sign.`, { attack });
      },
    },
    {
      id: 'ext.script', title: 'Script or shortcut payload', weight: 20, attack: ['T1059'], strong: false,
      test: (ctx) => {
        const p = ctx.payloadPath ?? '';
        if (!SCRIPT_EXT.test(p) && !/\.lnk$/i.test(p)) return undefined;
        if (/\.lnk$/i.test(p)) return ctx.basis === 'startup-file' ? hit(baseName(p), 'A shortcut placed in a Startup folder runs its target at logon.', { weight: 5, attack: ['T1547.009'] }) : hit(baseName(p), 'The entry starts a shortcut, which hides the real target.', { weight: 15, attack: ['T1547.009'] });
        return hit(baseName(p), `The payload is a script (${baseName(p)}), not an installed program.`, { weight: ctx.basis === 'startup-file' ? 30 : 20 });
      },
    },
    {
      id: 'ext.executable-in-startup', title: 'Program file dropped in a Startup folder', weight: 25, attack: [], strong: false,
      test: (ctx) => (ctx.basis === 'startup-file' && /\.(exe|dll|com|scr|pif|cpl)$/i.test(ctx.value) ? hit(baseName(ctx.value), 'A program file was written directly into a Startup folder; installers put shortcuts there, not programs.') : undefined),
    },
    {
      id: 'ext.double', title: 'Double file extension', weight: 35, attack: ['T1036.007'], strong: true,
      test: (ctx) => {
        const p = ctx.payloadPath ?? ctx.value;
        return DOUBLE_EXT.test(p) ? hit(baseName(p), `The file name ${baseName(p)} hides its real extension behind a document-like one.`) : undefined;
      },
    },
    {
      id: 'net.url', title: 'URL or IP address in the value', weight: 30, attack: ['T1105'], strong: true,
      test: (ctx) => {
        const re = /\b(https?|ftp):\/\/[^\s"']+|(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])(?::\d+)?/i;
        const t = scanText(ctx);
        const m = re.exec(t);
        if (!m) return undefined;
        // version numbers (1.2.3.4) inside a path are not addresses
        if (!/^(https?|ftp)/i.test(m[0]) && /\\[^\\\s]*$/.test(t.slice(0, m.index))) return undefined;
        return hit(m[0], 'The autostart entry reaches out to the network address shown when it fires.');
      },
    },
    {
      id: 'encoded.name-or-value', title: 'Base64 text hidden in the name or value', weight: 25, attack: ['T1027'], strong: false,
      test: (ctx) => {
        if (ctx.decodedLower !== undefined) return undefined; // already explained as encoded PowerShell
        const t = findBase64Token(ctx.valueName ?? '') ?? findBase64Token(ctx.value);
        return t ? hit(t.token, `The entry carries Base64 text that decodes to "${t.text.slice(0, 80)}".`) : undefined;
      },
    },
    {
      id: 'writer.unusual', title: 'Unusual process wrote the entry', weight: 25, attack: ['T1112'], strong: false, ignoresData: true,
      test: (ctx) => {
        if (!UNUSUAL_WRITERS.has(ctx.writerName)) return undefined;
        if (ctx.writerName === 'mstsc.exe') return undefined; // covered by path.lateral-rdp
        const office = OFFICE.test(ctx.writerName);
        return hit(ctx.writerName, office
          ? `An Office application (${ctx.writerName}) wrote the autostart entry: typical of a malicious document or macro.`
          : `${ctx.writerName} wrote the entry; installers and the software itself normally do, not shells, script hosts or reg.exe.`, { weight: office ? 40 : 25 });
      },
    },
    {
      id: 'writer.user-writable', title: 'Writer runs from a user-writable folder', weight: 15, attack: [], strong: false, ignoresData: true,
      test: (ctx) => {
        if (!ctx.writerImage) return undefined;
        const c = classifyFolder(expandEnv(ctx.writerImage));
        return c ? hit(ctx.writerImage, `The process that wrote the entry runs from ${c.label}.`, { weight: c.weight >= 30 ? 30 : 15 }) : undefined;
      },
    },
    {
      id: 'writer.remote', title: 'Written over the network', weight: 35, attack: ['T1021'], strong: true, ignoresData: true,
      test: (ctx) => {
        if (ctx.basis !== 'startup-file') return undefined;
        if (ctx.writerName === 'mstsc.exe') return hit(ctx.writerImage ?? 'mstsc.exe', "The RDP client (mstsc.exe) wrote the file into the Startup folder through a redirected drive (\\\\tsclient): lateral movement over RDP.", { attack: ['T1021.001'] });
        if (ctx.writerName === 'system' || ctx.writerImage?.toLowerCase() === 'system') return hit('System', 'The kernel (System) wrote the file, which is how a file copied in over SMB appears: lateral movement.', { attack: ['T1021.002'] });
        return undefined;
      },
    },
    {
      id: 'writer.remote-registry', title: 'Written through the Remote Registry service', weight: 45, attack: ['T1112', 'T1021'], strong: true, ignoresData: true,
      test: (ctx) => {
        const self = ctx.writerChain?.[0];
        const cmd = self?.commandLine ?? ctx.writerCommandLine;
        const name = ctx.writerName || imageName(self?.image);
        if (name === 'regsvc.exe' || (name === 'svchost.exe' && cmd !== undefined && REMOTE_REGISTRY.test(cmd))) {
          return hit(cmd ?? ctx.writerImage ?? name, `The Remote Registry service made the write for a caller on another machine (reg add \\\\host\\..., PsExec-style tools, Impacket reg.py): this host's registry was edited over the network.${logonClause(ctx.networkLogon)}`);
        }
        return undefined;
      },
    },
    {
      id: 'writer.remote-wmi', title: 'Written by WMI for a remote caller', weight: 40, attack: ['T1112', 'T1021', 'T1047'], strong: true, ignoresData: true,
      test: (ctx) => {
        // WmiPrvSE writes for local callers too: only a network logon around the write makes it remote
        if (ctx.writerName !== 'wmiprvse.exe' || !ctx.networkLogon) return undefined;
        return hit(ctx.writerImage ?? 'WmiPrvSE.exe', `WMI's provider host (WmiPrvSE.exe, StdRegProv) made the write while a network logon was open: a caller on another machine set it through WMI.${logonClause(ctx.networkLogon)}`);
      },
    },
    {
      id: 'writer.ps-remoting', title: 'Written in a PowerShell remoting session', weight: 40, attack: ['T1021.006', 'T1059.001'], strong: true, ignoresData: true,
      test: (ctx) => {
        const chain = ctx.writerChain ?? [];
        const at = ctx.writerName === 'wsmprovhost.exe' ? ctx.writerImage ?? 'wsmprovhost.exe' : chain.find((p) => imageName(p.image) === 'wsmprovhost.exe')?.image;
        if (at === undefined) return undefined;
        return hit(at, `The writer runs under wsmprovhost.exe, the host of PowerShell remoting (Enter-PSSession, Invoke-Command over WinRM): the write was made from another machine.${logonClause(ctx.networkLogon)}`);
      },
    },
    {
      id: 'name.masquerade', title: 'Name masquerades as known software', weight: 35, attack: ['T1036.004'], strong: true,
      test: (ctx) => {
        const name = ctx.basis === 'startup-file' ? baseName(ctx.value).replace(/\.[^.]+$/, '') : ctx.valueName ?? '';
        if (!name) return undefined;
        const p = ctx.payloadLower ?? ctx.valueLower;
        for (const k of KNOWN_NAMES) {
          if (!k.name.test(name)) continue;
          if (k.path.source !== '^$' && k.path.test(p)) return undefined;
          if (k.path.source === '^$' && !isScriptHostOrShell(p) && !classifyFolder(p)) return undefined;
          return hit(name, `The name "${name}" looks like ${k.label}, but the entry runs ${ctx.payloadPath ?? ctx.value.slice(0, 120)}, which is not where ${k.label} lives.`);
        }
        return undefined;
      },
    },
    {
      id: 'name.hidden', title: 'Hidden or empty value name', weight: 45, attack: ['T1564', 'T1112'], strong: true, ignoresData: true,
      test: (ctx) => {
        if (ctx.basis !== 'registry' || ctx.valueName === undefined) return undefined;
        if (ctx.location.values) return undefined;
        const n = ctx.valueName;
        // eslint-disable-next-line no-control-regex
        if (n === '' || /^\s+$/.test(n) || /[\u0000-\u001f]/.test(n)) return hit(JSON.stringify(n), 'The value has an empty or control-character name, as written by tools that hide Run values from regedit (null-prefixed names).');
        return undefined;
      },
    },
    {
      id: 'winlogon.non-default', title: 'Winlogon value changed from the default', weight: 45, attack: ['T1547.004'], strong: true,
      test: (ctx) => {
        const id = ctx.location.id;
        if (id !== 'winlogon-userinit' && id !== 'winlogon-shell') return undefined;
        const v = ctx.valueLower.trim().replace(/^"|"$/g, '').replace(/,\s*$/, '');
        const ok = id === 'winlogon-userinit' ? /^(c:\\windows\\system32\\)?userinit(\.exe)?$/.test(v) : /^(c:\\windows\\)?explorer(\.exe)?$/.test(v);
        if (ok) return undefined;
        return hit(ctx.value, id === 'winlogon-userinit'
          ? 'Userinit should be "C:\\Windows\\system32\\userinit.exe," only; anything added runs at every logon.'
          : 'Shell should be "explorer.exe"; a different shell runs at every logon.');
      },
    },
    {
      id: 'shellfolder.redirected', title: 'Startup folder redirected', weight: 45, attack: ['T1547.001'], strong: true,
      test: (ctx) => {
        if (ctx.location.id !== 'shell-folders-startup') return undefined;
        const v = ctx.valueLower.trim();
        if (/\\microsoft\\windows\\start menu\\programs\\startup$/.test(v)) return undefined;
        return hit(ctx.value, 'The Startup folder now points at a different folder, so everything placed there runs at logon without touching the usual Startup folder.');
      },
    },
  ] satisfies Indicator[]).map((i) => [i.id, i]),
);

/** Run every indicator over a context; reasons in registry order. */
export function runIndicators(ctx: IndicatorContext): Reason[] {
  const out: Reason[] = [];
  for (const ind of INDICATORS.values()) {
    if (!ctx.dataIsCommand && !ind.ignoresData) continue;
    let h: IndicatorHit | undefined;
    try {
      h = ind.test(ctx);
    } catch (e) {
      // an indicator bug must not lose the finding: record it as a zero-weight reason
      out.push({ id: `${ind.id}.error`, title: ind.title, weight: 0, attack: [], explanation: `indicator failed: ${String(e)}` });
      continue;
    }
    if (!h) continue;
    const weight = h.weight ?? ind.weight;
    if (weight === 0 && ind.id === 'path.temp') {
      // path.temp only marks the strong variant of path.user-writable: keep it for the baseline's sake
      out.push({ id: ind.id, title: ind.title, weight: 0, attack: [], explanation: h.explanation, matched: h.matched });
      continue;
    }
    out.push({ id: ind.id, title: ind.title, weight, attack: h.attack ?? [...ind.attack], explanation: h.explanation, matched: h.matched });
  }
  return out;
}

/** Reasons added outside the indicator map that are strong signs too. */
const STRONG_EXTRA = new Set(['registry.renamed-into-autostart', 'correlation.writer-encoded']);

export function isStrong(reasonId: string): boolean {
  return INDICATORS.get(reasonId)?.strong ?? STRONG_EXTRA.has(reasonId);
}

export { imageName };
