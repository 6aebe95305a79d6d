// Script hosts given their script inline: mshta vbscript:... / javascript:..., rundll32
// javascript:"\..\mshtml,RunHTMLApplication ";..., and cscript / wscript running a .vbs / .js whose
// text the same command line wrote (echo ... > x.vbs & cscript x.vbs). What is read: WScript.Shell
// RegWrite calls whose arguments are string literals (VBScript "" escapes, JScript \ escapes,
// literals joined with & or +), also inside VBScript Execute("...") strings. Anything computed is
// not guessed. A script host running a file from a Startup folder executes it: no write.

import type { CommandLineWrite } from './types';
import { registryWrite } from './locate';
import type { KnownFiles } from './reg-exe';

const MAX_EXECUTE_DEPTH = 4;

type Lang = 'vbs' | 'js';

/** A string literal at `i` (after blanks), with its end; undefined when there is none. */
function literalAt(s: string, i: number, lang: Lang): { text: string; end: number } | undefined {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  const q = s[i];
  if (q !== '"' && !(lang === 'js' && q === "'")) return undefined;
  let out = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (lang === 'vbs' && c === '"') {
      if (s[j + 1] === '"') {
        out += '"';
        j++;
        continue;
      }
      return { text: out, end: j + 1 };
    }
    if (lang === 'js') {
      if (c === '\\' && j + 1 < s.length) {
        const e = s[++j];
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        continue;
      }
      if (c === q) return { text: out, end: j + 1 };
    }
    out += c;
  }
  return undefined;
}

/** Literals joined by & (VBScript) or + (JScript): the joined text, or undefined when a part is not a literal. */
function joinedLiteral(s: string, i: number, lang: Lang): { text: string; end: number } | undefined {
  let lit = literalAt(s, i, lang);
  if (!lit) return undefined;
  let text = lit.text;
  let end = lit.end;
  for (;;) {
    let j = end;
    while (j < s.length && (s[j] === ' ' || s[j] === '\t')) j++;
    if (s[j] !== (lang === 'vbs' ? '&' : '+')) break;
    lit = literalAt(s, j + 1, lang);
    if (!lit) return undefined;
    text += lit.text;
    end = lit.end;
  }
  return { text, end };
}

/** The arguments of a call at `i` (after the method name): literal strings separated by commas. */
function literalArgs(s: string, i: number, lang: Lang): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  let j = i;
  while (j < s.length && (s[j] === ' ' || s[j] === '\t')) j++;
  if (s[j] === '(') j++;
  for (let k = 0; k < 3; k++) {
    const lit = joinedLiteral(s, j, lang);
    out.push(lit?.text);
    if (!lit) break;
    j = lit.end;
    while (j < s.length && (s[j] === ' ' || s[j] === '\t')) j++;
    if (s[j] !== ',') break;
    j++;
  }
  return out;
}

/** RegWrite(name, value[, type]): name ending in \ is the key's default value. */
export function regWriteCall(name: string | undefined, value: string | undefined, via: string): CommandLineWrite | undefined {
  if (name === undefined) return undefined;
  const cut = name.lastIndexOf('\\');
  if (cut < 0) return undefined;
  const key = name.slice(0, cut);
  const valueName = cut === name.length - 1 ? '(Default)' : name.slice(cut + 1);
  return registryWrite({ key, valueName, data: value, via, matched: name });
}

/** The RegWrite calls of a VBScript or JScript text. */
export function scriptHostWrites(script: string, lang: Lang, depth = 0): CommandLineWrite[] {
  const out: CommandLineWrite[] = [];
  const lower = script.toLowerCase();
  for (let at = lower.indexOf('regwrite'); at >= 0; at = lower.indexOf('regwrite', at + 8)) {
    const [name, value] = literalArgs(script, at + 8, lang);
    const w = regWriteCall(name, value, lang === 'vbs' ? 'VBScript RegWrite' : 'JScript RegWrite');
    if (w) out.push(w);
  }
  if (lang === 'vbs' && depth < MAX_EXECUTE_DEPTH) {
    // Execute "..." / ExecuteGlobal("..."): the code is a string, its quotes doubled
    for (let at = lower.indexOf('execute'); at >= 0; at = lower.indexOf('execute', at + 7)) {
      let j = at + 7;
      if (lower.startsWith('global', j)) j += 6;
      while (j < script.length && (script[j] === ' ' || script[j] === '(')) j++;
      const lit = joinedLiteral(script, j, 'vbs');
      // the body's own RegWrite was already seen with doubled quotes, which literalAt reads wrong: read the body
      if (lit) out.push(...scriptHostWrites(lit.text, 'vbs', depth + 1).filter((w) => !out.some((o) => o.registryKey === w.registryKey && o.valueName === w.valueName && o.data === w.data)));
    }
  }
  return out;
}

/** mshta's argument, rundll32's javascript: line: the inline script and its language, if any. */
export function inlineScript(rest: string): { script: string; lang: Lang } | undefined {
  const lower = rest.toLowerCase();
  const v = lower.indexOf('vbscript:');
  const j = lower.indexOf('javascript:');
  if (v >= 0 && (j < 0 || v < j)) return { script: rest.slice(v + 'vbscript:'.length), lang: 'vbs' };
  if (j >= 0) return { script: rest.slice(j + 'javascript:'.length), lang: 'js' };
  return undefined;
}

/** cscript / wscript x.vbs: the RegWrites of x.vbs when the same line wrote its text. */
export function scriptFileWrites(args: readonly string[], knownFiles: KnownFiles | undefined): CommandLineWrite[] {
  if (!knownFiles || knownFiles.size === 0) return [];
  let lang: Lang | undefined;
  for (const a of args) {
    const l = a.toLowerCase();
    if (l.startsWith('//e:') || l.startsWith('/e:')) lang = /jscript|javascript/.test(l) ? 'js' : 'vbs';
    if (a.startsWith('/')) continue;
    const text = knownFiles.get(l);
    if (text === undefined) return [];
    return scriptHostWrites(text, lang ?? (/\.(js|jse)$/.test(l) ? 'js' : 'vbs'));
  }
  return [];
}
