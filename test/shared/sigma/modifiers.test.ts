// Table-driven checks of Sigma value matching: wildcards and escaping as the specification defines
// them, case handling, null / empty values, numbers, and every modifier the evaluator supports.

import { describe, expect, it } from 'vitest';
import { procMatches } from './rule-helpers';

type Case = [name: string, detection: string, data: Record<string, string | number>, expected: boolean];

const sel = (body: string): string => `    selection:\n${body}\n    condition: selection`;
const cl = (value: string, mods = ''): string => sel(`        CommandLine${mods}: ${value}`);
const b64 = (s: string, enc: BufferEncoding = 'utf8'): string => Buffer.from(s, enc).toString('base64');

const wildcardCases: Case[] = [
  ['* matches any run', cl("'a*c'"), { CommandLine: 'abbbc' }, true],
  ['* needs the fixed parts', cl("'a*c'"), { CommandLine: 'ab' }, false],
  ['? matches exactly one character', cl("'a?c'"), { CommandLine: 'abc' }, true],
  ['? does not match zero characters', cl("'a?c'"), { CommandLine: 'ac' }, false],
  ['\\* is a literal star', cl("'a\\*c'"), { CommandLine: 'a*c' }, true],
  ['\\* is not a wildcard', cl("'a\\*c'"), { CommandLine: 'abc' }, false],
  ['\\? is a literal question mark', cl("'a\\?c'"), { CommandLine: 'a?c' }, true],
  ['\\? is not a wildcard', cl("'a\\?c'"), { CommandLine: 'abc' }, false],
  ['a single backslash before a letter is plain', cl("'C:\\Windows\\System32'"), { CommandLine: 'C:\\Windows\\System32' }, true],
  ['\\\\ before a letter is one backslash', cl("'C:\\\\Windows'"), { CommandLine: 'C:\\Windows' }, true],
  ['\\* after a folder escapes the star (literal Windows*)', cl("'C:\\Windows\\*'"), { CommandLine: 'C:\\Windows*' }, true],
  ['\\* after a folder is not a wildcard', cl("'C:\\Windows\\*'"), { CommandLine: 'C:\\Windows\\x' }, false],
  ['\\\\* is a backslash then a wildcard', cl("'C:\\Windows\\\\*'"), { CommandLine: 'C:\\Windows\\System32' }, true],
  ['\\\\\\* is a backslash and a literal star', cl("'a\\\\\\*'"), { CommandLine: 'a\\*' }, true],
  ['\\\\\\* does not act as a wildcard', cl("'a\\\\\\*'"), { CommandLine: 'a\\x' }, false],
  ['\\\\\\\\ is two backslashes', cl("'\\\\\\\\server'"), { CommandLine: '\\\\server' }, true],
  ['\\\\\\\\ is not one backslash', cl("'\\\\\\\\server'"), { CommandLine: '\\server' }, false],
  ['a value without wildcards must match whole', cl("'cmd'"), { CommandLine: 'cmd.exe' }, false],
  ['a star alone needs the field present', cl("'*'"), {}, false],
  ['a star alone matches any present value', cl("'*'"), { CommandLine: '' }, true],
];

const caseCases: Case[] = [
  ['matching is case-insensitive by default', cl("'CMD.EXE /C'"), { CommandLine: 'cmd.exe /c' }, true],
  ['contains is case-insensitive by default', cl("'WHOAMI'", '|contains'), { CommandLine: 'x whoami y' }, true],
  ['cased makes it case-sensitive', cl("'CMD.EXE'", '|cased'), { CommandLine: 'cmd.exe' }, false],
  ['cased matches the exact case', cl("'cmd.exe'", '|cased'), { CommandLine: 'cmd.exe' }, true],
  ['cased with contains', cl("'Who'", '|contains|cased'), { CommandLine: 'xwhoy' }, false],
];

const valueCases: Case[] = [
  ['null matches an absent field', sel('        ParentUser: null'), {}, true],
  ['null does not match a present field', sel('        ParentUser: null'), { ParentUser: 'x' }, false],
  ["'' matches an empty value", sel("        OriginalFileName: ''"), { OriginalFileName: '' }, true],
  ["'' does not match an absent field", sel("        OriginalFileName: ''"), {}, false],
  ['a number matches the field text', sel('        TerminalSessionId: 4'), { TerminalSessionId: '4' }, true],
  ['a number matches a numeric field', sel('        TerminalSessionId: 4'), { TerminalSessionId: 4 }, true],
  ['a number is not a prefix match', sel('        TerminalSessionId: 4'), { TerminalSessionId: '42' }, false],
  ['a list is OR', sel("        Image|endswith:\n            - '\\a.exe'\n            - '\\b.exe'"), { Image: 'C:\\b.exe' }, true],
  ['a map is AND', sel("        Image|endswith: '\\a.exe'\n        CommandLine|contains: 'x'"), { Image: 'C:\\a.exe', CommandLine: 'y' }, false],
  ['a list of maps is OR of ANDs', sel("        - Image|endswith: '\\a.exe'\n        - CommandLine|contains: 'x'"), { Image: 'C:\\c.exe', CommandLine: 'x' }, true],
  ['fields outside the table come from the raw event', sel("        Description: 'Windows Command Processor'"), { Description: 'Windows Command Processor' }, true],
];

const stringModifierCases: Case[] = [
  ['contains', cl("'ami'", '|contains'), { CommandLine: 'whoami /all' }, true],
  ['startswith', cl("'who'", '|startswith'), { CommandLine: 'whoami' }, true],
  ['startswith is anchored', cl("'ami'", '|startswith'), { CommandLine: 'whoami' }, false],
  ['endswith', cl("'\\whoami.exe'", '|endswith'), { CommandLine: 'C:\\whoami.exe' }, true],
  ['endswith is anchored', cl("'\\whoami'", '|endswith'), { CommandLine: 'C:\\whoami.exe' }, false],
  ['contains keeps inner wildcards', cl("'a*z'", '|contains'), { CommandLine: '--a-middle-z--' }, true],
  ['all needs every value', sel("        CommandLine|contains|all:\n            - 'a1'\n            - 'b2'"), { CommandLine: 'a1 b2' }, true],
  ['all fails when one value is missing', sel("        CommandLine|contains|all:\n            - 'a1'\n            - 'b2'"), { CommandLine: 'a1 c3' }, false],
  ['windash: hyphen as written', cl("' -enc '", '|contains|windash'), { CommandLine: 'ps -enc x' }, true],
  ['windash: slash', cl("' -enc '", '|contains|windash'), { CommandLine: 'ps /enc x' }, true],
  ['windash: en dash', cl("' -enc '", '|contains|windash'), { CommandLine: 'ps \u2013enc x' }, true],
  ['windash: em dash', cl("' -enc '", '|contains|windash'), { CommandLine: 'ps \u2014enc x' }, true],
  ['windash: horizontal bar', cl("' -enc '", '|contains|windash'), { CommandLine: 'ps \u2015enc x' }, true],
  ['windash: other characters do not count', cl("' -enc '", '|contains|windash'), { CommandLine: 'ps +enc x' }, false],
  ['windash: a slash in the rule also expands to a hyphen', cl("' /s '", '|contains|windash'), { CommandLine: 'x -s y' }, true],
  ['windash: a dash inside a word is left alone', cl("'-param-name'", '|windash'), { CommandLine: '/param/name' }, false],
  ['windash: the leading dash of that word expands', cl("'-param-name'", '|windash'), { CommandLine: '/param-name' }, true],
];

const encodingCases: Case[] = [
  ['base64 of the whole value', cl("'abc'", '|base64'), { CommandLine: b64('abc') }, true],
  ['base64 then contains', cl("'whoami'", '|base64|contains'), { CommandLine: `x ${b64('whoami')} y` }, true],
  ...[0, 1, 2].map((offset): Case => [
    `base64offset finds the value at byte offset ${offset}`, cl("'http://'", '|base64offset|contains'),
    { CommandLine: `-e ${b64('xyz'.slice(0, offset) + 'http://evil.example/a')}` }, true,
  ]),
  ['base64offset does not match other text', cl("'http://'", '|base64offset|contains'), { CommandLine: b64('ftp://evil.example/a') }, false],
  ...[0, 1, 2].map((offset): Case => [
    `wide|base64offset finds UTF-16LE text at offset ${offset}`, cl("'IEX ('", '|wide|base64offset|contains'),
    { CommandLine: `powershell -enc ${b64('$a=1;'.slice(0, offset) + 'IEX (New-Object Net.WebClient)', 'utf16le')}` }, true,
  ]),
  ['utf16le|base64 equals the UTF-16LE encoding', cl("'cmd'", '|utf16le|base64'), { CommandLine: b64('cmd', 'utf16le') }, true],
  ['utf16be|base64', cl("'cmd'", '|utf16be|base64'), { CommandLine: Buffer.from([0, 0x63, 0, 0x6d, 0, 0x64]).toString('base64') }, true],
  ['utf16|base64 starts with a byte order mark', cl("'cmd'", '|utf16|base64'), { CommandLine: Buffer.from([0xff, 0xfe, 0x63, 0, 0x6d, 0, 0x64, 0]).toString('base64') }, true],
];

const typeModifierCases: Case[] = [
  ['re searches, case-sensitive', cl("'who.mi'", '|re'), { CommandLine: 'x whoami y' }, true],
  ['re is case-sensitive by default', cl("'WHOAMI'", '|re'), { CommandLine: 'whoami' }, false],
  ['re|i is case-insensitive', cl("'WHOAMI'", '|re|i'), { CommandLine: 'whoami' }, true],
  ['re with a leading (?i)', cl("'(?i)WHOAMI'", '|re'), { CommandLine: 'whoami' }, true],
  ['re|m: ^ matches after a newline', cl("'^b'", '|re|m'), { CommandLine: 'a\nb' }, true],
  ['re without m: ^ is the start only', cl("'^b'", '|re'), { CommandLine: 'a\nb' }, false],
  ['re|s: dot matches a newline', cl("'a.b'", '|re|s'), { CommandLine: 'a\nb' }, true],
  ['re without s: dot does not match a newline', cl("'a.b'", '|re'), { CommandLine: 'a\nb' }, false],
  ['cidr v4 inside', sel("        SourceIp|cidr: '10.0.0.0/8'"), { SourceIp: '10.1.2.3' }, true],
  ['cidr v4 outside', sel("        SourceIp|cidr: '10.0.0.0/8'"), { SourceIp: '11.0.0.1' }, false],
  ['cidr v4 /32 host', sel("        SourceIp|cidr: '192.168.1.5/32'"), { SourceIp: '192.168.1.5' }, true],
  ['cidr v6 inside', sel("        SourceIp|cidr: 'fe80::/10'"), { SourceIp: 'fe80::1' }, true],
  ['cidr v6 outside', sel("        SourceIp|cidr: 'fe80::/10'"), { SourceIp: '2001:db8::1' }, false],
  ['cidr v6 written in full', sel("        SourceIp|cidr: '2001:db8::/32'"), { SourceIp: '2001:0db8:0000:0000:0000:0000:0000:0001' }, true],
  ['cidr v4 matches an IPv4-mapped IPv6 address', sel("        SourceIp|cidr: '10.0.0.0/8'"), { SourceIp: '::ffff:10.0.0.1' }, true],
  ['cidr: a non-address does not match', sel("        SourceIp|cidr: '10.0.0.0/8'"), { SourceIp: 'ten' }, false],
  ['exists: true with the field', sel('        ParentUser|exists: true'), { ParentUser: '' }, true],
  ['exists: true without the field', sel('        ParentUser|exists: true'), {}, false],
  ['exists: false without the field', sel('        ParentUser|exists: false'), {}, true],
  ['fieldref: equal fields (case-insensitive)', sel('        User|fieldref: ParentUser'), { User: 'CORP\\Bob', ParentUser: 'corp\\bob' }, true],
  ['fieldref: different fields', sel('        User|fieldref: ParentUser'), { User: 'CORP\\Bob', ParentUser: 'CORP\\Eve' }, false],
  ['fieldref: a missing field never equals', sel('        User|fieldref: ParentUser'), { User: 'x' }, false],
  ['gt', sel('        TerminalSessionId|gt: 0'), { TerminalSessionId: '1' }, true],
  ['gt is strict', sel('        TerminalSessionId|gt: 1'), { TerminalSessionId: '1' }, false],
  ['gte', sel('        TerminalSessionId|gte: 1'), { TerminalSessionId: '1' }, true],
  ['lt', sel('        TerminalSessionId|lt: 2'), { TerminalSessionId: '1' }, true],
  ['lte', sel('        TerminalSessionId|lte: 0'), { TerminalSessionId: '1' }, false],
  ['lt on a non-number does not match', sel('        TerminalSessionId|lt: 2'), { TerminalSessionId: 'x' }, false],
  ['neq: different', sel("        IntegrityLevel|neq: 'System'"), { IntegrityLevel: 'High' }, true],
  ['neq: equal', sel("        IntegrityLevel|neq: 'System'"), { IntegrityLevel: 'system' }, false],
];

const keywordCases: Case[] = [
  ['a keyword list searches every value', "    keywords:\n        - 'mimikatz'\n        - 'sekurlsa'\n    condition: keywords", { CommandLine: 'x.exe sekurlsa::logonpasswords' }, true],
  ['keywords do not match absent text', "    keywords:\n        - 'mimikatz'\n    condition: keywords", { CommandLine: 'whoami' }, false],
  ['keywords are case-insensitive', "    keywords:\n        - 'MimiKatz'\n    condition: keywords", { Description: 'mimikatz for Windows' }, true],
  ["'|all' keywords need every word", "    keywords:\n        '|all':\n            - 'Oab'\n            - ' -ExternalUrl '\n    condition: keywords", { CommandLine: 'Set-OabVirtualDirectory -ExternalUrl x' }, true],
  ["'|all' keywords fail with one missing", "    keywords:\n        '|all':\n            - 'Oab'\n            - ' -ExternalUrl '\n    condition: keywords", { CommandLine: 'Set-OabVirtualDirectory' }, false],
];

describe('Sigma value matching', () => {
  for (const [group, cases] of [
    ['wildcards and escaping', wildcardCases], ['case', caseCases], ['special values and structure', valueCases],
    ['string modifiers', stringModifierCases], ['encoding modifiers', encodingCases], ['type modifiers', typeModifierCases],
    ['keyword search', keywordCases],
  ] as const) {
    describe(group, () => {
      it.each(cases)('%s', (_name, detection, data, expected) => {
        expect(procMatches(detection, data)).toBe(expected);
      });
    });
  }
});

describe('long value lists', () => {
  // more needles than the single-scan threshold: the grouped search must agree with plain includes
  const needles = Array.from({ length: 60 }, (_, i) => `tok${i}x`).concat(['\u{1F600}', '\u{1F47B}']);
  const det = `    selection:\n        CommandLine|contains:\n${needles.map((n) => `            - '${n}'`).join('\n')}\n    condition: selection`;
  it.each([
    ['a needle in the middle', 'run tok42x now', true],
    ['a needle at the end', 'xx tok59x', true],
    ['an emoji needle', 'echo \u{1F47B} done', true],
    ['another emoji with the same first unit', 'echo \u{1F601} done', false],
    ['a near miss', 'tok42 x tok60x', false],
  ])('%s', (_name, text, expected) => {
    expect(procMatches(det, { CommandLine: text })).toBe(expected);
  });
});

describe('endswith lists of file names', () => {
  // four or more '\name' suffixes are checked as one lookup of the last path segment
  const det = "    selection:\n        Image|endswith:\n            - '\\a.exe'\n            - '\\b.exe'\n            - '\\c.exe'\n            - '\\d.exe'\n            - '\\sub\\e.exe'\n    condition: selection";
  it.each([
    ['the last segment is listed', 'C:\\Tools\\B.EXE', true],
    ['a listed name in a middle segment', 'C:\\a.exe\\x.txt', false],
    ['a listed name without a backslash before it', 'C:\\Tools\\xa.exe', false],
    ['a suffix with a folder', 'C:\\Tools\\sub\\e.exe', true],
    ['that suffix under another folder', 'C:\\Tools\\other\\e.exe', false],
    ['a bare name without any folder', 'a.exe', false],
  ])('%s', (_name, image, expected) => {
    expect(procMatches(det, { Image: image })).toBe(expected);
  });
});
