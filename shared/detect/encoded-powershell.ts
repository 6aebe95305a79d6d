// Encoded and obfuscated PowerShell: finds the -EncodedCommand argument under any accepted
// abbreviation (-e, -en, -enc ... -encodedcommand, -ec, /e...), de-obfuscates carets and decodes the
// Base64 (UTF-16LE as PowerShell expects, UTF-8 as a fallback). Bad Base64 yields no decoded text,
// never an exception.

/** Remove cmd.exe caret escapes (p^o^w^e^r^s^h^e^l^l) and empty quote pairs (po""wershell). */
export function deobfuscateCmd(s: string): string {
  return s.replace(/\^(.)/g, '$1').replace(/""/g, '');
}

export function hasCaretObfuscation(s: string): boolean {
  // a caret between word characters, at least twice: "p^ow^ershell" — not the lone ^ of a regex
  return (s.match(/\w\^\w/g) ?? []).length >= 2;
}

export const POWERSHELL_RE = /\b(powershell|pwsh)(\.exe)?\b/i;

/**
 * PowerShell accepts any unambiguous prefix of -EncodedCommand of at least two letters (-e alone
 * works too in practice), plus -ec; the switch may start with -, / or an en/em dash.
 */
const ENC_SWITCH_RE = /(?:^|\s)[-/\u2013\u2014](?:e|ec|en|enc|enco|encod|encode|encoded|encodedc|encodedco|encodedcom|encodedcomm|encodedcomma|encodedcomman|encodedcommand)\s+["']?([A-Za-z0-9+/=]{8,})/i;

export interface EncodedCommand {
  base64: string;
  decoded?: string;
  encoding?: 'utf-16le' | 'utf-8';
}

function base64Bytes(b64: string): Uint8Array | undefined {
  let clean = b64.replace(/[^A-Za-z0-9+/]/g, '');
  if (clean.length % 4 === 1) clean = clean.slice(0, -1); // a dangling character carries no byte
  const padded = clean + '='.repeat((4 - (clean.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(padded);
  } catch (e) {
    if (e instanceof Error) return undefined; // not Base64 after all: no decoded text
    throw e;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function printableRatio(s: string): number {
  if (s.length === 0) return 0;
  let ok = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) ok++;
  }
  return ok / s.length;
}

/** Decode Base64 text as PowerShell would (UTF-16LE), falling back to UTF-8; undefined when it is not text. */
export function decodeBase64Text(b64: string): { text: string; encoding: 'utf-16le' | 'utf-8' } | undefined {
  const bytes = base64Bytes(b64);
  if (!bytes || bytes.length < 2) return undefined;
  const utf16 = new TextDecoder('utf-16le').decode(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  if (printableRatio(utf16) > 0.9) return { text: utf16.replace(/\0+$/, ''), encoding: 'utf-16le' };
  const utf8 = new TextDecoder('utf-8').decode(bytes);
  if (printableRatio(utf8) > 0.9) return { text: utf8, encoding: 'utf-8' };
  return undefined;
}

/** The -EncodedCommand argument of a PowerShell command line, decoded where possible. */
export function findEncodedCommand(commandLine: string): EncodedCommand | undefined {
  const s = deobfuscateCmd(commandLine);
  if (!POWERSHELL_RE.test(s)) return undefined;
  const m = ENC_SWITCH_RE.exec(s);
  if (!m) return undefined;
  const dec = decodeBase64Text(m[1]);
  return dec ? { base64: m[1], decoded: dec.text, encoding: dec.encoding } : { base64: m[1] };
}

/** Base64 given to [Convert]::FromBase64String('...') inside a script, decoded where it is text. */
export function findFromBase64Literals(script: string): string[] {
  const out: string[] = [];
  const re = /frombase64string\(\s*["']([A-Za-z0-9+/=]{16,})["']\s*\)/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(script)) !== null) {
    const d = decodeBase64Text(m[1]);
    if (d) out.push(d.text);
  }
  return out;
}

/** A token of 16+ Base64 characters that decodes to readable ASCII (hidden text in a name). */
export function findBase64Token(s: string): { token: string; text: string } | undefined {
  const re = /[A-Za-z0-9+/]{16,}={0,2}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const tok = m[0];
    if (!/[0-9+/=]/.test(tok) || !/[a-z]/.test(tok) || !/[A-Z]/.test(tok)) continue; // plain words are not Base64
    const bytes = base64Bytes(tok);
    if (!bytes) continue;
    const utf8 = new TextDecoder('utf-8').decode(bytes);
    if (printableRatio(utf8) > 0.95 && /[a-z]{2}/i.test(utf8)) return { token: tok, text: utf8 };
  }
  return undefined;
}
