// Round trip for the SPL and KQL hunts, as the Sigma export has one through our own Sigma engine:
// each generated query is run by a small evaluator of the emitted subset (spl-kql-evaluator.ts)
// against the event records Sysmon, Security and Defender would log for the finding's own write,
// and against the same records with the attacker-controlled text (value name, data, file name,
// command line) changed by one character. The query must match the finding's record and must agree,
// on every changed record, with what the cluster says it matches (case-blind endswith / contains /
// equals on the literal strings). Hostile strings come from fast-check with fixed seeds.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeEvents } from '../../../shared/detect/engine';
import { clusterFindings, commandLineTerms, type Cluster } from '../../../shared/export/clusters';
import { fieldName, joinedFields } from '../../../shared/export/field-names';
import { kqlQueriesFor, kqlString, queriesText, splLiteralRegex, splQueriesFor, type SiemQuery } from '../../../shared/export/siem-queries';
import { sigmaRules } from '../../../shared/export/sigma';
import { checkExportedRule } from '../../../shared/sigma/check-export';
import { fileCreate, procStart, regSet, RUN_HKU } from '../detect/helpers';
import { compileKql, compileSpl, literalRegex, QueryError, splitComments, type EventRecord, type QueryErrorCode } from './spl-kql-evaluator';

const lc = (s: string) => s.toLowerCase();
const ends = (v: string | undefined, l: string) => v !== undefined && lc(v).endsWith(lc(l));
const has = (v: string | undefined, l: string) => v !== undefined && lc(v).includes(lc(l));
const same = (v: string | undefined, l: string) => v !== undefined && lc(v) === lc(l);

function errorCode(f: () => unknown): QueryErrorCode | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof QueryError) return e.code;
    throw e;
  }
}

// Pieces of hostile strings: quotes, backslashes, wildcards of every language, line breaks, CR,
// tabs, control characters, unicode (line separators, astral), keywords, brackets, backticks, `$`.
const PIECES = [
  '"', "'", '*', '?', '|', '\n', '\r', '\r\n', '\t', '\x00', '\x07', '\x7f', '\u0085', '\u2028', '\u2029', '`', '```', '$', '$tok$',
  '[', ']', '(', ')', '{', '}', '%', '_', '.', ',', ';', '=', '==', '~', '!', '@', '@"', '""', '#', '<', '>', '&', '^', '+', '-',
  ' OR ', ' AND ', ' NOT ', ' or ', ' and ', ' not ', 'in~', ' | where ', '//', '/*', '\\x41', '\\n', '\\E', '(?i)',
  'é', 'É', 'ß', '中文', '😀', 'İ', ' ', 'a', 'B', 'z', '0', '9', 'upd', 'Run', 'exe',
];
const NAME = fc.array(fc.constantFrom(...PIECES.filter((p) => !p.includes('/'))), { minLength: 1, maxLength: 7 }).map((xs) => xs.join(''))
  .filter((s) => !s.includes('\\') && s.trim() !== '');
const DATA = fc.tuple(
  fc.constantFrom('', 'C:\\Users\\Public\\', 'C:\\ProgramData\\', 'powershell.exe -w hidden -c ', 'cmd /c "'),
  fc.array(fc.constantFrom(...PIECES, '\\', '\\\\'), { minLength: 1, maxLength: 9 }).map((xs) => xs.join('')),
  fc.constantFrom('', '.exe', '\\', '"', '\\"', ' /f'),
).map(([a, b, c]) => a + b + c);

/** Every string one edit away: each character replaced (by a few hostile ones), deleted, or one inserted. */
function oneCharVariants(s: string, from = 0, to = s.length): string[] {
  const subs = ['x', '*', '"', '\\', '\n', '`', '$', 'é'];
  const out = new Set<string>();
  for (let i = from; i <= to; i++) {
    for (const r of subs) {
      out.add(s.slice(0, i) + r + s.slice(i));
      if (i < to) out.add(s.slice(0, i) + r + s.slice(i + 1));
    }
    if (i < to) out.add(s.slice(0, i) + s.slice(i + 1));
  }
  out.delete(s);
  return [...out];
}

const SYSMON_SOURCE = 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational';
const F = {
  to: fieldName('registry', 'targetObject', 'sysmon'), det: fieldName('registry', 'details', 'sysmon'),
  on: fieldName('registry', 'registryKey', 'security'), vn: fieldName('registry', 'valueName', 'security'), nv: fieldName('registry', 'details', 'security'),
  rk: fieldName('registry', 'registryKey', 'defender'), rv: fieldName('registry', 'valueName', 'defender'), rd: fieldName('registry', 'details', 'defender'),
  act: fieldName('registry', 'sourceAction', 'defender'), tf: fieldName('file', 'targetFilename', 'sysmon'),
  cl: fieldName('process', 'process.commandLine', 'sysmon'), scl: fieldName('process', 'process.commandLine', 'security'), dcl: fieldName('process', 'process.commandLine', 'defender'),
};
const [FOLDER, FILE] = joinedFields('file', 'targetFilename', 'defender');
const RUN_SUB = RUN_HKU.replace(/^HKU\\/, '');

/** One record per source for one write: what the query's language sees. */
interface Sighting { spl: EventRecord[]; kql: { table: string; record: EventRecord }[] }

function registrySighting(name: string, data: string): Sighting {
  return {
    spl: [
      { index: 'main', source: SYSMON_SOURCE, sourcetype: 'XmlWinEventLog', EventCode: '13', [F.to]: `${RUN_HKU}\\${name}`, [F.det]: data },
      { index: 'main', source: 'XmlWinEventLog:Security', sourcetype: 'XmlWinEventLog', EventCode: '4657', [F.on]: `\\REGISTRY\\USER\\${RUN_SUB}`, [F.vn]: name, [F.nv]: data },
    ],
    kql: [{ table: 'DeviceRegistryEvents', record: { [F.act]: 'RegistryValueSet', [F.rk]: `HKEY_USERS\\${RUN_SUB}`, [F.rv]: name, [F.rd]: data } }],
  };
}

/** What the cluster's hunts are meant to match, per record, written from the cluster alone. */
function registryIntent(c: Cluster, r: EventRecord): boolean {
  const frag = (v: string | undefined) => c.fragment === undefined || has(v, c.fragment);
  if (r.EventCode === '13') {
    return c.keyTails.some((t) => (c.valueNames.length ? c.valueNames.some((n) => ends(r[F.to], `${t}\\${n}`)) : ends(r[F.to], t))) && frag(r[F.det]);
  }
  const [key, name, data] = r.EventCode === '4657' ? [r[F.on], r[F.vn], r[F.nv]] : [r[F.rk], r[F.rv], r[F.rd]];
  return c.keyTails.some((t) => ends(key, t)) && (!c.valueNames.length || c.valueNames.some((n) => same(name, n))) && frag(data);
}

const STARTUP = 'C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup';

function fileSighting(name: string): Sighting {
  return {
    spl: [{ index: 'main', source: SYSMON_SOURCE, sourcetype: 'XmlWinEventLog', EventCode: '11', [F.tf]: `${STARTUP}\\${name}` }],
    kql: [{ table: 'DeviceFileEvents', record: { [FOLDER]: STARTUP, [FILE]: name } }],
  };
}

function fileIntent(c: Cluster, r: EventRecord): boolean {
  if (r.EventCode === '11') return has(r[F.tf], '\\Start Menu\\Programs\\Startup\\') && c.fileNames.some((n) => ends(r[F.tf], `\\${n}`));
  return has(r[FOLDER], '\\Start Menu\\Programs\\Startup') && c.fileNames.some((n) => same(r[FILE], n));
}

function processSighting(commandLine: string): Sighting {
  return {
    spl: [
      { index: 'main', source: SYSMON_SOURCE, sourcetype: 'XmlWinEventLog', EventCode: '1', [F.cl]: commandLine },
      { index: 'main', source: 'XmlWinEventLog:Security', sourcetype: 'XmlWinEventLog', EventCode: '4688', [F.scl]: commandLine },
    ],
    kql: [{ table: 'DeviceProcessEvents', record: { [F.dcl]: commandLine } }],
  };
}

function processIntent(c: Cluster, r: EventRecord): boolean {
  const v = r.EventCode === '1' ? r[F.cl] : r.EventCode === '4688' ? r[F.scl] : r[F.dcl];
  return commandLineTerms(c).every((t) => has(v, t));
}

interface Tally { queries: number; withWhere: number; variants: number; rejected: number }

/**
 * The finding's own sighting matches every query of its language and target; each variant
 * sighting is matched exactly when the cluster's intent says so.
 */
function checkRoundTrip(c: Cluster, qs: readonly SiemQuery[], own: Sighting, variants: readonly Sighting[], intent: (c: Cluster, r: EventRecord) => boolean, tally: Tally): void {
  for (const q of qs) {
    tally.queries++;
    if (q.language === 'spl') {
      if (q.query.includes('| where')) tally.withWhere++;
      const run = compileSpl(q.query);
      // each SPL query is for one source: the record its EventCode filter names
      const mine = own.spl.filter((r) => run(r));
      expect(mine.length, q.query).toBe(1);
      const code = mine[0].EventCode;
      for (const v of variants) {
        for (const r of v.spl.filter((x) => x.EventCode === code)) {
          tally.variants++;
          const want = intent(c, r);
          if (!want) tally.rejected++;
          expect(run(r), `${q.query}\n--- on ${JSON.stringify(r)}`).toBe(want);
        }
      }
    } else {
      const run = compileKql(q.query);
      for (const s of own.kql) expect(run(s.table, s.record), q.query).toBe(true);
      for (const v of variants) {
        for (const s of v.kql) {
          tally.variants++;
          const want = intent(c, s.record);
          if (!want) tally.rejected++;
          expect(run(s.table, s.record), `${q.query}\n--- on ${JSON.stringify(s.record)}`).toBe(want);
        }
      }
    }
  }
}

describe('the SPL / KQL evaluator follows the documented rules it models', () => {
  it('reads `*` in an SPL search term as a wildcard, quoted or not, and values case-blind', () => {
    const run = compileSpl('index=* EventCode=13 TargetObject="*\\\\Run\\\\a*b"');
    expect(run({ index: 'main', EventCode: '13', TargetObject: 'HKLM\\x\\Run\\aXYZb' })).toBe(true);
    expect(run({ index: 'main', EventCode: '13', TargetObject: 'HKLM\\x\\RUN\\A*B' })).toBe(true);
    expect(run({ index: 'main', EventCode: '13', TargetObject: 'HKLM\\x\\Run\\a*c' })).toBe(false);
  });

  it('refuses raw line breaks, unknown escapes, backticks and $ in SPL, and non-literal regexes', () => {
    expect(errorCode(() => compileSpl('index=* X="a\nb"'))).toBe<QueryErrorCode>('RAW_CONTROL_IN_STRING');
    expect(errorCode(() => compileSpl('index=* X="a\\nb"'))).toBe<QueryErrorCode>('BAD_ESCAPE');
    expect(errorCode(() => compileSpl('index=* X="a`b"'))).toBe<QueryErrorCode>('BACKTICK');
    expect(errorCode(() => compileSpl('index=* X="$a$"'))).toBe<QueryErrorCode>('DOLLAR');
    expect(errorCode(() => compileSpl('index=* | where match(X, "a.b")'))).toBe<QueryErrorCode>('REGEX_NOT_LITERAL');
    expect(errorCode(() => compileSpl('index=* | stats count'))).toBe<QueryErrorCode>('UNSUPPORTED_COMMAND');
    expect(literalRegex('(?i)\\A\\x0a\\*\\z')).toEqual({ literal: '\n*', start: true, end: true, caseless: true });
  });

  it('reads KQL verbatim and regular literals as the Kusto lexer does, refusing a raw line break in either', () => {
    const run = compileKql('T\n| where A endswith @"\\x""y" and B == "l1\\nl2\\t\\u00e9\\\\"');
    expect(run('T', { A: 'zz\\X"Y', B: 'l1\nl2\té\\' })).toBe(true);
    expect(run('T', { A: 'zz\\X"Y', B: 'L1\nl2\té\\' })).toBe(false); // == is case-sensitive
    expect(run('U', { A: 'zz\\X"Y', B: 'l1\nl2\té\\' })).toBe(false);
    expect(errorCode(() => compileKql('T | where A contains @"a\nb"'))).toBe<QueryErrorCode>('RAW_CONTROL_IN_STRING');
    expect(errorCode(() => compileKql('T | where A contains "a\rb"'))).toBe<QueryErrorCode>('RAW_CONTROL_IN_STRING');
    expect(errorCode(() => compileKql('T | where A contains "a\\qb"'))).toBe<QueryErrorCode>('BAD_ESCAPE');
  });
});

describe('SPL and KQL hunts match exactly the finding\'s value', () => {
  it('treats a `*` in a value name as a literal character in SPL, not a wildcard', () => {
    const findings = analyzeEvents([regSet(`${RUN_HKU}\\upd*`, 'C:\\Users\\Public\\u.exe')]);
    const [sysmon, security] = splQueriesFor(findings).map((q) => compileSpl(q.query));
    const own = registrySighting('upd*', 'C:\\Users\\Public\\u.exe');
    const other = registrySighting('updX', 'C:\\Users\\Public\\u.exe');
    expect(sysmon(own.spl[0])).toBe(true);
    expect(security(own.spl[1])).toBe(true);
    expect(sysmon(other.spl[0])).toBe(false);
    expect(security(other.spl[1])).toBe(false);
  });

  it('writes a value name with a newline, CR and tab into SPL and KQL without a raw control character', () => {
    const name = 'a\nb\r\nc\td"';
    const findings = analyzeEvents([regSet(`${RUN_HKU}\\${name}`, 'C:\\Users\\Public\\u.exe')]);
    const qs = [...splQueriesFor(findings), ...kqlQueriesFor(findings)];
    expect(qs).toHaveLength(3);
    const own = registrySighting(name, 'C:\\Users\\Public\\u.exe');
    for (const q of qs) {
      expect(q.query.split('\n').every((l) => !/[\r\t]/.test(l)), q.query).toBe(true);
      expect(q.query.split('\n').length, q.query).toBeLessThanOrEqual(q.language === 'spl' ? 3 : 6);
    }
    const [sysmon, security] = qs.filter((q) => q.language === 'spl').map((q) => compileSpl(q.query));
    expect(sysmon(own.spl[0])).toBe(true);
    expect(security(own.spl[1])).toBe(true);
    expect(compileKql(qs[2].query)('DeviceRegistryEvents', own.kql[0].record)).toBe(true);
    expect(kqlString('a\nb\\"')).toBe('"a\\nb\\\\\\""');
    expect(splLiteralRegex('a\n*"\\`$.', 'endswith')).toBe('(?i)a\\x0a\\*\\x22\\x5c\\x60\\x24\\.\\z');
  });

  it('keys every hunt and the Sigma rule on text the logged value holds, not on the caret-free payload path', () => {
    const data = 'C:\\ProgramData\\u^p^d^a^t^e.exe';
    const ev = regSet(`${RUN_HKU}\\Upd`, data);
    const findings = analyzeEvents([ev]);
    expect(findings).toHaveLength(1);
    const own = registrySighting('Upd', data);
    const [sysmon, security] = splQueriesFor(findings).map((q) => compileSpl(q.query));
    expect(sysmon(own.spl[0])).toBe(true);
    expect(security(own.spl[1])).toBe(true);
    expect(compileKql(kqlQueriesFor(findings)[0].query)('DeviceRegistryEvents', own.kql[0].record)).toBe(true);
    const [rule] = sigmaRules(findings, new Date('2024-02-01T00:00:00Z'));
    expect(checkExportedRule(rule.yaml, { event: ev }, []).matchesSource).toBe(true);
  });

  it('agrees with the cluster on every one-character change of a hostile Run value name and data (property)', () => {
    const tally: Tally = { queries: 0, withWhere: 0, variants: 0, rejected: 0 };
    let runs = 0;
    fc.assert(fc.property(NAME, DATA, (name, data) => {
      const ev = regSet(`${RUN_HKU}\\${name}`, data);
      const findings = analyzeEvents([ev]);
      if (findings.length !== 1 || findings[0].valueName !== name || ev.targetObject !== `${RUN_HKU}\\${name}`) return;
      const [c] = clusterFindings(findings);
      const qs = [...splQueriesFor(findings), ...kqlQueriesFor(findings)];
      if (!qs.length) return;
      runs++;
      const at = c.fragment === undefined ? -1 : data.indexOf(c.fragment);
      const dataVariants = at < 0 ? [] : oneCharVariants(data, at, at + (c.fragment?.length ?? 0));
      const variants = [...oneCharVariants(name).map((n) => registrySighting(n, data)), ...dataVariants.map((d) => registrySighting(name, d))];
      checkRoundTrip(c, qs, registrySighting(name, data), variants, registryIntent, tally);
    }), { seed: 20261208, numRuns: 100 });
    expect(runs).toBeGreaterThan(70);
    expect(tally.withWhere).toBeGreaterThan(30);
    expect(tally.rejected).toBeGreaterThan(tally.variants / 2);
  });

  it('agrees with the cluster on every one-character change of a hostile Startup file name (property)', () => {
    const tally: Tally = { queries: 0, withWhere: 0, variants: 0, rejected: 0 };
    let runs = 0;
    fc.assert(fc.property(NAME, (name) => {
      const findings = analyzeEvents([fileCreate(`${STARTUP}\\${name}`, 'C:\\Windows\\System32\\cmd.exe')]);
      if (findings.length !== 1) return;
      const [c] = clusterFindings(findings);
      if (c.fileNames.join() !== name) return;
      runs++;
      const qs = [...splQueriesFor(findings), ...kqlQueriesFor(findings)];
      expect(qs).toHaveLength(2);
      checkRoundTrip(c, qs, fileSighting(name), oneCharVariants(name).map(fileSighting), fileIntent, tally);
    }), { seed: 20261209, numRuns: 100 });
    expect(runs).toBeGreaterThan(70);
    expect(tally.withWhere).toBeGreaterThan(30);
    expect(tally.rejected).toBeGreaterThan(tally.variants / 2);
  });

  it('agrees with the cluster on every one-character change of a hostile reg.exe command line (property)', () => {
    const tally: Tally = { queries: 0, withWhere: 0, variants: 0, rejected: 0 };
    let runs = 0;
    fc.assert(fc.property(NAME.filter((n) => !/[\s"]/.test(n)), DATA, (name, data) => {
      const cmd = `reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v ${name} /d "${data}" /f`;
      const findings = analyzeEvents([procStart('C:\\Windows\\System32\\reg.exe', cmd)]).filter((f) => f.basis === 'command-line');
      if (findings.length !== 1) return;
      const [c] = clusterFindings(findings);
      const qs = [...splQueriesFor(findings), ...kqlQueriesFor(findings)];
      if (!qs.length) return;
      runs++;
      // the keyed piece of the command line: the value's fragment, or its name
      const terms = commandLineTerms(c);
      const last = terms[terms.length - 1];
      const from = cmd.toLowerCase().indexOf(last.toLowerCase());
      expect(from).toBeGreaterThanOrEqual(0);
      checkRoundTrip(c, qs, processSighting(cmd), oneCharVariants(cmd, from, from + last.length).map(processSighting), processIntent, tally);
    }), { seed: 20261210, numRuns: 80 });
    expect(runs).toBeGreaterThan(30);
    expect(tally.withWhere).toBeGreaterThan(10);
    expect(tally.rejected).toBeGreaterThan(0);
  });
});

describe('query files', () => {
  it('keeps every comment on its line: a title with line breaks, U+2028 or backticks cannot end it', () => {
    const evil = 'C:\\x.exe\u2028DeviceProcessEvents | take 1\u2029| project A\r\n```| delete``` \x85 //';
    const findings = analyzeEvents([regSet(`${RUN_HKU}\\Evil`, evil), regSet(`${RUN_HKU}\\Plain`, 'C:\\Users\\Public\\p.exe', { at: 5 })]);
    for (const [lang, qs] of [['spl', splQueriesFor(findings)], ['kql', kqlQueriesFor(findings)]] as const) {
      expect(qs.length).toBeGreaterThanOrEqual(2);
      const { comments, rest } = splitComments(queriesText(qs), lang);
      expect(comments).toHaveLength(qs.length);
      for (const [i, c] of comments.entries()) expect(c).toContain(qs[i].target);
      // the file outside its comments is the queries and nothing else
      expect(rest).toBe(qs.map((q) => `\n${q.query}\n`).join('\n'));
    }
  });
});
