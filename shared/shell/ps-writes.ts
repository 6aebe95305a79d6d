// The write forms of PowerShell, as handlers of the cmdlets and .NET / COM members the evaluator
// meets: registry provider cmdlets (Set-ItemProperty / sp, New-ItemProperty, Set-Item / si,
// New-Item / ni) on HKCU: / HKLM: / Registry:: paths, [Microsoft.Win32.Registry]::SetValue,
// OpenSubKey(.., $true) / CreateSubKey(..).SetValue, WScript.Shell RegWrite and CreateShortcut +
// Save, StdRegProv through Invoke-WmiMethod / Invoke-CimMethod / [wmiclass], and files written into
// a Startup folder (Copy-Item, Move-Item, Out-File, Set-Content, Add-Content, Invoke-WebRequest
// -OutFile, Start-BitsTransfer, WebClient.DownloadFile, [IO.File]::WriteAllText ...). A
// read-modify-write of a value (Winlogon Userinit / Shell: the old value read, a program appended)
// is reported with the appended program as its data. Anything not evaluated stays unknown: a write
// whose key or file is unknown is not reported, a value name or data that is unknown is left out.

import { bind, type Bound, type CmdletSpec, type EvaluatedArg } from './ps-bind';
import { NULL, S, U, itemsOf, obj, segsOf, textOf, type Seg, type Value } from './ps-values';
import { registryKeyOf, registryWrite, startupFileWrite } from './locate';
import { stdRegProvWrite } from './stdregprov';
import { regWriteCall } from './wscript-mshta';
import type { CommandLineWrite } from './types';

export interface WriteContext {
  emit(w: CommandLineWrite | undefined): void;
  /** Text of files the script wrote, for reg import / regedit / cscript later in it. */
  files: Map<string, string>;
  /** Set-Location's current location, when known. */
  cwd(): string | undefined;
  setCwd(p: string | undefined): void;
  /** Run a native command line (reg.exe, cmd /c ...) through the command-line reader. */
  runLine(line: string): void;
  /** Invoke-Expression of known text. */
  evalText(text: string): Value;
  /** Invoke a script block with $_ set to `input`. */
  invokeBlock(block: Value, input: Value): Value;
}

const ALIASES: Record<string, string> = {
  sp: 'set-itemproperty', si: 'set-item', ni: 'new-item', gp: 'get-itemproperty', gpv: 'get-itempropertyvalue', gi: 'get-item',
  cp: 'copy-item', cpi: 'copy-item', copy: 'copy-item', mv: 'move-item', mi: 'move-item', move: 'move-item',
  sc: 'set-content', ac: 'add-content', iwr: 'invoke-webrequest', wget: 'invoke-webrequest', curl: 'invoke-webrequest',
  iex: 'invoke-expression', saps: 'start-process', start: 'start-process', cd: 'set-location', sl: 'set-location', chdir: 'set-location',
  pushd: 'push-location', '%': 'foreach-object', foreach: 'foreach-object', '?': 'where-object', where: 'where-object', echo: 'write-output',
  write: 'write-output', md: 'new-item', mkdir: 'new-item', irm: 'invoke-restmethod', iwmi: 'invoke-wmimethod', gwmi: 'get-wmiobject',
  icim: 'invoke-cimmethod', gcim: 'get-ciminstance', ren: 'rename-item', rni: 'rename-item', tee: 'tee-object',
};

export function cmdletName(name: string): string {
  let n = name.toLowerCase();
  const slash = n.lastIndexOf('\\');
  if (slash >= 0 && n.slice(0, slash).includes('.')) n = n.slice(slash + 1); // Microsoft.PowerShell.Management\Set-ItemProperty
  return ALIASES[n] ?? n;
}

const COMMON_PATH = { path: ['pspath'], literalpath: ['lp'] } as const;

const SPECS: Record<string, CmdletSpec> = {
  'set-itemproperty': { params: { ...COMMON_PATH, name: ['pspropertyname'], value: [], type: ['propertytype'], inputobject: [], force: [], passthru: [], filter: [], include: [], exclude: [], credential: [] }, positions: ['path', 'name', 'value'], switches: ['force', 'passthru'] },
  'new-itemproperty': { params: { ...COMMON_PATH, name: ['pspropertyname'], value: [], propertytype: ['type'], force: [], filter: [], include: [], exclude: [], credential: [] }, positions: ['path', 'name'], switches: ['force'] },
  'set-item': { params: { ...COMMON_PATH, value: [], force: [], passthru: [], filter: [], include: [], exclude: [], credential: [], type: [] }, positions: ['path', 'value'], switches: ['force', 'passthru'] },
  'new-item': { params: { path: ['pspath'], name: [], itemtype: ['type'], value: ['target'], force: [], credential: [] }, positions: ['path'], switches: ['force'] },
  'copy-item': { params: { ...COMMON_PATH, destination: [], recurse: [], force: [], container: [], passthru: [], filter: [], include: [], exclude: [], credential: [], fromsession: [], tosession: [] }, positions: ['path', 'destination'], switches: ['recurse', 'force', 'container', 'passthru'] },
  'move-item': { params: { ...COMMON_PATH, destination: [], force: [], passthru: [], filter: [], include: [], exclude: [], credential: [] }, positions: ['path', 'destination'], switches: ['force', 'passthru'] },
  'out-file': { params: { filepath: ['path'], literalpath: ['lp', 'pspath'], encoding: [], append: [], force: [], noclobber: ['nooverwrite'], width: [], nonewline: [], inputobject: [] }, positions: ['filepath', 'encoding'], switches: ['append', 'force', 'noclobber', 'nonewline'] },
  'set-content': { params: { ...COMMON_PATH, value: [], encoding: [], force: [], passthru: [], nonewline: [], asbytestream: [], stream: [], filter: [], include: [], exclude: [], credential: [] }, positions: ['path', 'value'], switches: ['force', 'passthru', 'nonewline', 'asbytestream'] },
  'tee-object': { params: { filepath: ['path'], literalpath: ['lp'], append: [], variable: [], inputobject: [] }, positions: ['filepath'], switches: ['append'] },
  'invoke-webrequest': { params: { uri: [], outfile: [], usebasicparsing: [], method: [], headers: [], body: [], usedefaultcredentials: [], passthru: [], useragent: [], proxy: [], credential: [], timeoutsec: [] }, positions: ['uri'], switches: ['usebasicparsing', 'usedefaultcredentials', 'passthru'] },
  'start-bitstransfer': { params: { source: [], destination: [], transfertype: [], asynchronous: [], displayname: [], priority: [] }, positions: ['source', 'destination'], switches: ['asynchronous'] },
  'new-object': { params: { typename: [], argumentlist: ['args'], comobject: ['com'], strict: [], property: [] }, positions: ['typename', 'argumentlist'], switches: ['strict'] },
  'invoke-wmimethod': { params: { class: [], name: [], argumentlist: ['args'], namespace: ['ns'], computername: ['cn'], path: [], inputobject: [], credential: [], asjob: [], impersonation: [], authentication: [], enableallprivileges: [] }, positions: ['class', 'name'], switches: ['asjob', 'enableallprivileges'] },
  'invoke-cimmethod': { params: { classname: ['class'], methodname: ['name'], arguments: [], namespace: ['ns'], computername: ['cn'], cimsession: [], cimclass: [], inputobject: ['ciminstance'], query: [], operationtimeoutsec: [] }, positions: ['classname', 'methodname', 'arguments'] },
  'get-wmiobject': { params: { class: [], list: [], namespace: ['ns'], computername: ['cn'], query: [], filter: [], property: [], credential: [] }, positions: ['class', 'property'], switches: ['list'] },
  'get-itemproperty': { params: { ...COMMON_PATH, name: ['pspropertyname'], filter: [], include: [], exclude: [], credential: [] }, positions: ['path', 'name'] },
  'get-itempropertyvalue': { params: { ...COMMON_PATH, name: ['pspropertyname'], filter: [], include: [], exclude: [], credential: [] }, positions: ['path', 'name'] },
  'get-item': { params: { ...COMMON_PATH, force: [], filter: [], include: [], exclude: [], credential: [], stream: [] }, positions: ['path'], switches: ['force'] },
  'join-path': { params: { path: ['pspath'], childpath: [], additionalchildpath: [], resolve: [], credential: [] }, positions: ['path', 'childpath'], switches: ['resolve'], rest: 'additionalchildpath' },
  'invoke-expression': { params: { command: [] }, positions: ['command'] },
  'start-process': { params: { filepath: ['path'], argumentlist: ['args'], verb: [], windowstyle: [], wait: [], nonewwindow: [], passthru: [], workingdirectory: [], credential: [], loaduserprofile: ['lup'], redirectstandardoutput: ['rso'], redirectstandarderror: ['rse'], redirectstandardinput: ['rsi'], usenewenvironment: [] }, positions: ['filepath', 'argumentlist'], switches: ['wait', 'nonewwindow', 'passthru', 'loaduserprofile', 'usenewenvironment'] },
  'set-location': { params: { path: [], literalpath: ['lp', 'pspath'], passthru: [], stackname: [] }, positions: ['path'], switches: ['passthru'] },
  'push-location': { params: { path: [], literalpath: ['lp', 'pspath'], passthru: [], stackname: [] }, positions: ['path'], switches: ['passthru'] },
  'write-output': { params: { inputobject: [], noenumerate: [] }, positions: ['inputobject'], switches: ['noenumerate'], rest: 'inputobject' },
  'foreach-object': { params: { process: [], begin: [], end: [], membername: [], argumentlist: ['args'], inputobject: [] }, positions: ['process'] },
  'where-object': { params: { filterscript: [], property: [], value: [], inputobject: [] }, positions: ['filterscript'] },
};
SPECS['add-content'] = SPECS['set-content'];

/** A path the registry provider or the file system understands, with the current location applied. */
function resolvePath(p: Value | undefined, ctx: WriteContext): string | undefined {
  const t = textOf(p);
  if (t === undefined) return undefined;
  const s = t.trim();
  if (/^([a-z]+:|\\\\|\\|%|[a-z.]*\\?registry::)/i.test(s) || ctx.cwd() === undefined) return s;
  return (ctx.cwd() as string).replace(/\\+$/, '') + '\\' + s.replace(/^\.\\/, '');
}

function paths(b: Bound, ctx: WriteContext): string[] {
  const v = b.named.get('literalpath') ?? b.named.get('path') ?? b.named.get('filepath');
  if (v === undefined) return [];
  const out: string[] = [];
  for (const item of itemsOf(v)) {
    if (item.t === 'obj' && item.cls === 'regitem') {
      const p = textOf(item.props.get('path'));
      if (p !== undefined) out.push(p);
      continue;
    }
    const p = resolvePath(item, ctx);
    if (p !== undefined) out.push(p);
  }
  return out;
}

/** Data as text: a multi-string's items one per line; unknown -> undefined. */
function dataText(v: Value | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.t === 'arr') {
    const items = v.items.map(textOf);
    return items.every((x) => x !== undefined) ? items.join('\n') : undefined;
  }
  return textOf(v);
}

/**
 * The data of a write, and whether it appends to the value's own old content: segments that begin
 * with the unknown read of this very value followed by known text.
 */
function writeData(v: Value | undefined, key: string, valueName: string | undefined): { data?: string; appended?: boolean } {
  const t = dataText(v);
  if (t !== undefined || v === undefined) return t === undefined ? {} : { data: t };
  const segs = segsOf(v);
  const first = segs[0];
  const canon = registryKeyOf(key);
  if (typeof first === 'object' && first.read !== undefined && canon !== undefined && valueName !== undefined &&
    first.read.toLowerCase() === `${canon}\\${valueName}`.toLowerCase() && segs.slice(1).every((s): s is string => typeof s === 'string')) {
    const tail = (segs.slice(1) as string[]).join('').replace(/^[\s,]+/, '').trim();
    return tail ? { data: tail, appended: true } : {};
  }
  return {};
}

function readLabel(path: string, name: string): string | undefined {
  const k = registryKeyOf(path);
  return k === undefined ? undefined : `${k}\\${name}`;
}

function fileWrite(ctx: WriteContext, dest: string | undefined, via: string, content: Value | undefined, source?: string, append = false): void {
  if (dest === undefined) return;
  const text = content === undefined ? undefined : dataText(content);
  if (text !== undefined) {
    const k = dest.toLowerCase();
    ctx.files.set(k, append ? (ctx.files.get(k) ?? '') + text : text);
  }
  ctx.emit(startupFileWrite(dest, via, source, text));
}

type Handler = (b: Bound, ctx: WriteContext, input: Value | undefined) => Value;

const HANDLERS: Record<string, Handler> = {
  'set-itemproperty': (b, ctx, input) => {
    const name = textOf(b.named.get('name'));
    const ps = paths(b, ctx);
    if (ps.length === 0 && input?.t === 'obj' && input.cls === 'regitem') {
      const p = textOf(input.props.get('path'));
      if (p) ps.push(p);
    }
    for (const p of ps) ctx.emit(registryWrite({ key: p, valueName: name, ...writeData(b.named.get('value'), p, name), via: 'Set-ItemProperty' }));
    return NULL;
  },
  'new-itemproperty': (b, ctx) => {
    const name = textOf(b.named.get('name'));
    for (const p of paths(b, ctx)) ctx.emit(registryWrite({ key: p, valueName: name, ...writeData(b.named.get('value'), p, name), via: 'New-ItemProperty' }));
    return NULL;
  },
  'set-item': (b, ctx) => {
    for (const p of paths(b, ctx)) {
      if (registryKeyOf(p) !== undefined) ctx.emit(registryWrite({ key: p, valueName: '(Default)', data: dataText(b.named.get('value')), via: 'Set-Item' }));
      else fileWrite(ctx, p, 'Set-Item', b.named.get('value'));
    }
    return NULL;
  },
  'new-item': (b, ctx) => {
    const name = textOf(b.named.get('name'));
    const type = textOf(b.named.get('itemtype'))?.toLowerCase();
    const ps = paths(b, ctx);
    const cwd = ctx.cwd();
    if (ps.length === 0 && name !== undefined && cwd !== undefined) ps.push(cwd);
    for (const base of ps) {
      const p = name !== undefined ? base.replace(/\\+$/, '') + '\\' + name : base;
      if (registryKeyOf(p) !== undefined) {
        // a new key with -Value sets its default value; a key alone holds no command
        if (b.named.has('value')) ctx.emit(registryWrite({ key: p, valueName: '(Default)', data: dataText(b.named.get('value')), via: 'New-Item' }));
        return obj('regitem', { path: S(p) });
      }
      if (type === 'directory' || type === 'container') continue;
      // a symbolic link or hard link placed in the Startup folder runs its target
      fileWrite(ctx, p, type === 'symboliclink' || type === 'hardlink' ? `New-Item -ItemType ${type}` : 'New-Item', b.named.get('value'));
    }
    return NULL;
  },
  'copy-item': (b, ctx) => {
    const src = textOf(b.named.get('literalpath') ?? b.named.get('path'));
    fileWrite(ctx, resolvePath(b.named.get('destination'), ctx), 'Copy-Item', undefined, src);
    return NULL;
  },
  'move-item': (b, ctx) => {
    const src = textOf(b.named.get('literalpath') ?? b.named.get('path'));
    fileWrite(ctx, resolvePath(b.named.get('destination'), ctx), 'Move-Item', undefined, src);
    return NULL;
  },
  'out-file': (b, ctx, input) => {
    for (const p of paths(b, ctx)) fileWrite(ctx, p, 'Out-File', b.named.get('inputobject') ?? input, undefined, b.named.has('append'));
    return NULL;
  },
  'tee-object': (b, ctx, input) => {
    for (const p of paths(b, ctx)) fileWrite(ctx, p, 'Tee-Object', b.named.get('inputobject') ?? input, undefined, b.named.has('append'));
    return input ?? NULL;
  },
  'set-content': (b, ctx, input) => {
    for (const p of paths(b, ctx)) fileWrite(ctx, p, 'Set-Content', b.named.get('value') ?? input);
    return NULL;
  },
  'add-content': (b, ctx, input) => {
    for (const p of paths(b, ctx)) fileWrite(ctx, p, 'Add-Content', b.named.get('value') ?? input, undefined, true);
    return NULL;
  },
  'invoke-webrequest': (b, ctx) => {
    fileWrite(ctx, resolvePath(b.named.get('outfile'), ctx), 'Invoke-WebRequest -OutFile', undefined, textOf(b.named.get('uri')));
    return U('web response');
  },
  'start-bitstransfer': (b, ctx) => {
    fileWrite(ctx, resolvePath(b.named.get('destination'), ctx), 'Start-BitsTransfer', undefined, textOf(b.named.get('source')));
    return NULL;
  },
  'new-object': (b) => {
    const com = textOf(b.named.get('comobject'));
    if (com !== undefined) return obj(com.toLowerCase());
    const type = textOf(b.named.get('typename'))?.toLowerCase().replace(/^system\./, '');
    if (type === 'net.webclient') return obj('net.webclient');
    return U(`new ${type ?? 'object'}`);
  },
  'invoke-wmimethod': (b, ctx) => {
    const cls = (textOf(b.named.get('class')) ?? textOf(b.named.get('path')) ?? '').toLowerCase();
    const method = textOf(b.named.get('name'));
    if (!cls.endsWith('stdregprov') || method === undefined) return U('wmi result');
    // Invoke-WmiMethod passes -ArgumentList in the order WMI lists the in-parameters: by name
    // (hDefKey, sSubKeyName, sValue / uValue, sValueName), not the documented signature's order
    const list = b.named.get('argumentlist');
    const items = list === undefined ? [] : itemsOf(list);
    const [h, sub, value, name] = items;
    ctx.emit(stdRegProvWrite(method, { hDefKey: h === undefined ? undefined : textOf(h) ?? null, sSubKeyName: textOf(sub), sValueName: name === undefined ? undefined : textOf(name), value: dataText(value) }, `Invoke-WmiMethod ${method}`));
    return U('wmi result');
  },
  'invoke-cimmethod': (b, ctx) => {
    const clsVal = b.named.get('classname') ?? b.named.get('cimclass');
    const cls = (clsVal?.t === 'obj' ? clsVal.cls : textOf(clsVal) ?? '').toLowerCase();
    const method = textOf(b.named.get('methodname'));
    const args = b.named.get('arguments');
    if (!cls.endsWith('stdregprov') || method === undefined || args?.t !== 'hash') return U('cim result');
    const get = (k: string) => args.map.get(k);
    const h = get('hdefkey');
    ctx.emit(stdRegProvWrite(method, { hDefKey: h === undefined ? undefined : textOf(h) ?? null, sSubKeyName: textOf(get('ssubkeyname')), sValueName: textOf(get('svaluename')), value: dataText(get('svalue') ?? get('uvalue')) }, `Invoke-CimMethod ${method}`));
    return U('cim result');
  },
  'get-wmiobject': (b) => {
    const cls = (textOf(b.named.get('class')) ?? '').toLowerCase();
    return cls === 'stdregprov' ? obj('stdregprov') : U('wmi object');
  },
  'get-itemproperty': (b, ctx) => {
    const p = paths(b, ctx)[0];
    const name = textOf(b.named.get('name'));
    if (p === undefined) return U('registry read');
    // (Get-ItemProperty K -Name N).N is the old value: a read of K\N
    return obj('regvalues', { path: S(p), ...(name ? { name: S(name) } : {}) });
  },
  'get-itempropertyvalue': (b, ctx) => {
    const p = paths(b, ctx)[0];
    const name = textOf(b.named.get('name'));
    return U('registry read', p !== undefined && name !== undefined ? readLabel(p, name) : undefined);
  },
  'get-item': (b, ctx) => {
    const p = paths(b, ctx)[0];
    return p !== undefined && registryKeyOf(p) !== undefined ? obj('regitem', { path: S(p) }) : U('item');
  },
  'join-path': (b) => {
    const parts = [b.named.get('path'), b.named.get('childpath'), ...(b.named.get('additionalchildpath') ? itemsOf(b.named.get('additionalchildpath') as Value) : [])].filter((x): x is Value => x !== undefined);
    const segs: Seg[][] = [];
    parts.forEach((p, i) => {
      const s = segsOf(p).slice();
      if (i > 0) {
        if (typeof s[0] === 'string') s[0] = s[0].replace(/^[\\/]+/, '');
        segs.push(['\\']);
      }
      const last = s[s.length - 1];
      if (i < parts.length - 1 && typeof last === 'string') s[s.length - 1] = last.replace(/[\\/]+$/, '');
      segs.push(s);
    });
    return joinSegsLocal(segs);
  },
  'invoke-expression': (b, ctx, input) => {
    const v = b.named.get('command') ?? input;
    const t = textOf(v);
    return t === undefined ? U('invoke-expression of unknown text') : ctx.evalText(t);
  },
  'start-process': (b, ctx) => {
    const file = textOf(b.named.get('filepath'));
    const al = b.named.get('argumentlist');
    if (file === undefined) return NULL;
    const args = al === undefined ? [] : itemsOf(al).map(textOf);
    if (args.some((a) => a === undefined)) return NULL;
    ctx.runLine([quoteForLine(file), ...(args as string[])].join(' '));
    return NULL;
  },
  'set-location': (b, ctx) => {
    ctx.setCwd(paths(b, ctx)[0]);
    return NULL;
  },
  'push-location': (b, ctx) => {
    ctx.setCwd(paths(b, ctx)[0]);
    return NULL;
  },
  'write-output': (b, _ctx, input) => b.named.get('inputobject') ?? input ?? NULL,
  'foreach-object': (b, ctx, input) => {
    const block = b.named.get('process');
    return block?.t === 'block' ? ctx.invokeBlock(block, input ?? NULL) : U('foreach');
  },
  'where-object': (_b, _ctx, input) => input ?? U('where'),
};

function joinSegsLocal(parts: Seg[][]): Value {
  const out: Seg[] = [];
  for (const p of parts) for (const s of p) {
    const last = out[out.length - 1];
    if (typeof s === 'string' && typeof last === 'string') out[out.length - 1] = last + s;
    else if (s !== '') out.push(s);
  }
  return { t: 'str', segs: out };
}

const quoteForLine = (s: string) => (/\s/.test(s) && !s.startsWith('"') ? `"${s}"` : s);

/** Whether a name is a cmdlet the reader evaluates. */
export function knownCmdlet(name: string): boolean {
  return HANDLERS[name] !== undefined;
}

export function runCmdlet(name: string, args: readonly EvaluatedArg[], ctx: WriteContext, input: Value | undefined): Value {
  const spec = SPECS[name];
  const h = HANDLERS[name];
  if (!spec || !h) return U(`result of ${name}`);
  return h(bind(spec, args), ctx, input);
}

const SPECIAL_FOLDERS: Record<string, string> = {
  startup: '%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup',
  commonstartup: '%ProgramData%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup',
  allusersstartup: '%ProgramData%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup',
  appdata: '%APPDATA%', applicationdata: '%APPDATA%', localapplicationdata: '%LOCALAPPDATA%', userprofile: '%USERPROFILE%',
  programs: '%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs', startmenu: '%APPDATA%\\Microsoft\\Windows\\Start Menu',
};

const HIVE_ROOTS: Record<string, string> = {
  currentuser: 'HKCU', localmachine: 'HKLM', classesroot: 'HKCR', users: 'HKU', currentconfig: 'HKCC',
  hkey_current_user: 'HKCU', hkey_local_machine: 'HKLM', hkey_classes_root: 'HKCR', hkey_users: 'HKU',
};

const isType = (t: string, ...names: string[]) => names.includes(t.replace(/^system\./, ''));

/** Static members: [Microsoft.Win32.Registry]::CurrentUser, [Environment]::..., [Text.Encoding]::Unicode. */
export function staticMember(type: string, name: string): Value | undefined {
  if (isType(type, 'microsoft.win32.registry') && HIVE_ROOTS[name]) return obj('regkey', { path: S(HIVE_ROOTS[name]), writable: { t: 'bool', b: false } });
  if (isType(type, 'microsoft.win32.registryhive')) return S(name);
  if (isType(type, 'text.encoding')) return obj('encoding', { name: S(name) });
  if (isType(type, 'environment+specialfolder')) return S(name);
  return undefined;
}

function decodeBytes(enc: string, bytes: Uint8Array): string | undefined {
  const e = enc.toLowerCase();
  const label = e === 'unicode' ? 'utf-16le' : e === 'bigendianunicode' ? 'utf-16be' : e === 'utf8' || e === 'default' ? 'utf-8' : e === 'ascii' ? 'utf-8' : undefined;
  if (label === undefined) return undefined;
  return new TextDecoder(label).decode(bytes);
}

function base64ToBytes(s: string): Uint8Array | undefined {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  let bin: string;
  try {
    bin = atob(clean);
  } catch (e) {
    if (e instanceof Error) return undefined; // not Base64: [Convert]::FromBase64String would throw, nothing to read
    throw e;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Static method calls of the types the writes use; undefined when the reader does not know the method. */
export function staticCall(type: string, name: string, args: Value[], ctx: WriteContext): Value | undefined {
  const t = textOf;
  if (isType(type, 'microsoft.win32.registry') && name === 'setvalue') {
    ctx.emit(registryWrite({ key: t(args[0]) ?? '', valueName: t(args[1]), data: dataText(args[2]), via: '[Microsoft.Win32.Registry]::SetValue' }));
    return NULL;
  }
  if (isType(type, 'microsoft.win32.registrykey') && name === 'openbasekey') {
    const h = t(args[0])?.toLowerCase().replace(/^\[microsoft\.win32\.registryhive\]::/, '');
    const root = h === undefined ? undefined : HIVE_ROOTS[h];
    return root ? obj('regkey', { path: S(root), writable: { t: 'bool', b: false } }) : U('registry key');
  }
  if (isType(type, 'environment')) {
    if (name === 'getfolderpath') {
      const f = t(args[0])?.toLowerCase().replace(/^.*::/, '');
      return f !== undefined && SPECIAL_FOLDERS[f] ? S(SPECIAL_FOLDERS[f]) : U('folder path');
    }
    if (name === 'getenvironmentvariable') {
      const v = t(args[0]);
      return v === undefined ? U('environment variable') : S(`%${v}%`);
    }
    if (name === 'expandenvironmentvariables') return args[0] ?? NULL;
  }
  if (isType(type, 'convert') && name === 'frombase64string') {
    const s = t(args[0]);
    const bytes = s === undefined ? undefined : base64ToBytes(s);
    return bytes ? { t: 'bytes', bytes } : U('bytes');
  }
  if (isType(type, 'string')) {
    if (name === 'join' && args.length >= 2) {
      const sep = t(args[0]);
      const items = args.length === 2 ? itemsOf(args[1]) : args.slice(1);
      if (sep === undefined) return U('join');
      return joinSegsLocal(items.map((x, i) => (i > 0 ? [sep, ...segsOf(x)] : segsOf(x))));
    }
    if (name === 'concat') return joinSegsLocal(args.flatMap(itemsOf).map(segsOf));
    if (name === 'format' && args.length >= 1) return formatValue(args[0], args.slice(1).length === 1 ? itemsOf(args[1]) : args.slice(1));
  }
  if ((isType(type, 'io.path')) && name === 'combine') {
    return joinSegsLocal(args.map((a, i) => {
      const s = segsOf(a).slice();
      if (i < args.length - 1 && typeof s[s.length - 1] === 'string') s[s.length - 1] = (s[s.length - 1] as string).replace(/[\\/]+$/, '') + '\\';
      return s;
    }));
  }
  if (isType(type, 'io.file')) {
    const path = t(args[0]);
    if (['writealltext', 'writealllines', 'appendalltext', 'appendalllines', 'writeallbytes'].includes(name)) {
      fileWrite(ctx, path, `[IO.File]::${name}`, name === 'writeallbytes' ? undefined : args[1], undefined, name.startsWith('append'));
      return NULL;
    }
    if (name === 'copy' || name === 'move') {
      fileWrite(ctx, t(args[1]), `[IO.File]::${name}`, undefined, path);
      return NULL;
    }
  }
  if (isType(type, 'activator') && name === 'createinstance') {
    const a = args[0];
    return a?.t === 'obj' && a.cls === 'progid' ? obj((t(a.props.get('id')) ?? '').toLowerCase()) : U('instance');
  }
  if (isType(type, 'type') && name === 'gettypefromprogid') {
    const id = t(args[0]);
    return id === undefined ? U('type') : obj('progid', { id: S(id) });
  }
  return undefined;
}

/** "{0} x {1}" -f a, b with known format text; {n:fmt} and {n,w} take the argument as it is. */
export function formatValue(fmt: Value, args: Value[]): Value {
  const f = textOf(fmt);
  if (f === undefined) return U('format of unknown text');
  const parts: Seg[][] = [];
  let lit = '';
  for (let i = 0; i < f.length; i++) {
    const c = f[i];
    if (c === '{' && f[i + 1] === '{') {
      lit += '{';
      i++;
    } else if (c === '}' && f[i + 1] === '}') {
      lit += '}';
      i++;
    } else if (c === '{') {
      const close = f.indexOf('}', i);
      const m = close < 0 ? null : /^(\d+)/.exec(f.slice(i + 1, close));
      if (!m) return U('bad format');
      parts.push([lit]);
      lit = '';
      const a = args[Number(m[1])];
      parts.push(a === undefined ? [] : segsOf(a));
      i = close;
    } else lit += c;
  }
  parts.push([lit]);
  return joinSegsLocal(parts);
}

/** Instance methods on the objects the writes go through; undefined when the reader does not know it. */
export function instanceCall(target: Value, name: string, args: Value[], ctx: WriteContext): Value | undefined {
  if (target.t !== 'obj') return undefined;
  const t = textOf;
  const p = target.props;
  switch (target.cls) {
    case 'wscript.shell':
      if (name === 'regwrite') {
        ctx.emit(regWriteCall(t(args[0]), dataText(args[1]), 'WScript.Shell.RegWrite'));
        return NULL;
      }
      if (name === 'createshortcut') {
        const path = t(args[0]);
        return obj('shortcut', path === undefined ? {} : { path: S(path) });
      }
      if (name === 'specialfolders' || name === 'item') {
        const f = t(args[0])?.toLowerCase().replace(/\s+/g, '');
        return f !== undefined && SPECIAL_FOLDERS[f] ? S(SPECIAL_FOLDERS[f]) : U('special folder');
      }
      if (name === 'run' || name === 'exec') {
        const line = t(args[0]);
        if (line !== undefined) ctx.runLine(line);
        return U('exit code');
      }
      return U('wscript result');
    case 'shortcut':
      if (name === 'save') {
        const target = t(p.get('targetpath'));
        const extra = t(p.get('arguments'));
        const data = target === undefined ? undefined : extra ? `${target} ${extra}` : target;
        const path = t(p.get('path'));
        if (path !== undefined) ctx.emit(startupFileWrite(path, 'WScript.Shell.CreateShortcut', undefined, data));
      }
      return NULL;
    case 'net.webclient':
      if (name === 'downloadfile') {
        fileWrite(ctx, t(args[1]), 'WebClient.DownloadFile', undefined, t(args[0]));
        return NULL;
      }
      return U('download');
    case 'encoding':
      if (name === 'getstring' && args[0]?.t === 'bytes') {
        const s = decodeBytes(t(p.get('name')) ?? '', args[0].bytes);
        return s === undefined ? U('decoded text') : S(s);
      }
      return U('encoding');
    case 'stdregprov': {
      // [wmiclass] / Get-WmiObject method calls take the documented order: hDefKey, sSubKeyName, sValueName, sValue
      const [h, sub, vn, value] = args;
      ctx.emit(stdRegProvWrite(name, { hDefKey: h === undefined ? undefined : t(h) ?? null, sSubKeyName: t(sub), sValueName: vn === undefined ? undefined : t(vn), value: dataText(value) }, `StdRegProv.${name}`));
      return U('wmi result');
    }
    case 'regkey': {
      const path = t(p.get('path'));
      if (name === 'opensubkey' || name === 'createsubkey') {
        const sub = t(args[0]);
        if (path === undefined || sub === undefined) return U('registry key');
        // OpenSubKey(name) is read-only; OpenSubKey(name, $true) or a write permission check opens it writable
        const w = name === 'createsubkey' ? true : writableArg(args[1]);
        return obj('regkey', { path: S(`${path}\\${sub.replace(/^\\+/, '')}`), writable: w === undefined ? U('writable') : { t: 'bool', b: w } });
      }
      if (name === 'setvalue') {
        const writable = p.get('writable');
        if (path !== undefined && writable?.t === 'bool' && writable.b) ctx.emit(registryWrite({ key: path, valueName: t(args[0]), data: dataText(args[1]), via: 'RegistryKey.SetValue' }));
        return NULL;
      }
      if (name === 'getvalue') {
        const n = t(args[0]);
        return U('registry read', path !== undefined && n !== undefined ? readLabel(path, n) : undefined);
      }
      return U('registry key result');
    }
    default:
      return undefined;
  }
}

function writableArg(v: Value | undefined): boolean | undefined {
  if (v === undefined) return false;
  if (v.t === 'bool') return v.b;
  const t = textOf(v)?.toLowerCase();
  if (t === undefined) return undefined;
  return /readwrite|fullcontrol|true/.test(t);
}

/** Member reads: (Get-ItemProperty K).Userinit is a read of K\Userinit; SpecialFolders("Startup"). */
export function instanceMember(target: Value, name: string): Value | undefined {
  if (target.t !== 'obj') return undefined;
  if (target.cls === 'regvalues') {
    const path = textOf(target.props.get('path'));
    return U('registry read', path === undefined ? undefined : readLabel(path, name));
  }
  return target.props.get(name);
}
