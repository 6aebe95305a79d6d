// Our shortcut reader against libyal's liblnk (Debian liblnk-utils, `lnkinfo -v`) on seeded
// generated shortcuts: every field both print must agree. Not compared: lnkinfo 20181227's "Show
// Window value" and "Hot Key value", which print the file size (checked in a hex dump: the header
// holds the show command at 0x3c and the hot key at 0x40, where our reader finds them).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Prng } from '../../../shared/generator/prng';
import { randomLnkSpec, writeLnk, type LnkSpec } from '../../../shared/generator/lnk-writer';
import { parseLnk, type ParsedLnk } from '../../../shared/lnk/lnk';

const SEED = 777;
const COUNT = 40;

const HAVE_LNKINFO = (() => {
  try {
    execFileSync('lnkinfo', ['-V'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch (e) {
    return !(e instanceof Error && 'code' in e && e.code === 'ENOENT');
  }
})();

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** '2024-05-14T10:45:04.9129407Z' → 'May 14, 2024 10:45:04.912940700 UTC', as lnkinfo prints a FILETIME. */
function lnkinfoTime(iso: string | undefined): string | undefined {
  const m = iso && /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})\.(\d{7})Z$/.exec(iso);
  return m ? `${MONTHS[Number(m[2]) - 1]} ${m[3]}, ${m[1]} ${m[4]}.${m[5]}00 UTC` : undefined;
}

interface Printed {
  fields: Map<string, string>;
  /** Shell item lines in order: 'Shell folder identifier=..', 'Volume name=..', 'Name=..', 'Long name=..'. */
  items: string[];
}

/** The "key : value" lines of lnkinfo -v (the first occurrence of each key outside the shell items). */
function parseLnkinfo(out: string): Printed {
  const fields = new Map<string, string>();
  const items: string[] = [];
  let inItems = false;
  for (const line of out.split('\n')) {
    if (line.startsWith('Link target identifier:')) inItems = true;
    else if (/^\S/.test(line)) inItems = false;
    const m = /^\t+([^\t:][^:]*?)\t*: ?(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m;
    if (inItems) {
      if (['Shell folder identifier', 'Volume name', 'Name', 'Long name'].includes(key)) items.push(`${key}=${value}`);
    } else if (!fields.has(key)) fields.set(key, key === 'Drive type' ? (/\((\d+)\)$/.exec(value)?.[1] ?? value) : value); // 'Fixed (3)' → '3'
  }
  return { fields, items };
}

const hex8 = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** What lnkinfo should print for our parse. */
function expected(l: ParsedLnk): Printed {
  const f = new Map<string, string>();
  const set = (k: string, v: string | undefined): void => {
    if (v !== undefined) f.set(k, v);
  };
  set('Creation time', lnkinfoTime(l.times.created));
  set('Modification time', lnkinfoTime(l.times.modified));
  set('Access time', lnkinfoTime(l.times.accessed));
  set('File size', `${l.size} bytes`);
  set('Icon index', String(l.iconIndex));
  set('File attribute flags', hex8(l.header!.fileAttributes));
  if (l.linkInfo) {
    set('Drive type', l.volume ? `${l.volume.driveType}` : '0');
    set('Drive serial number', hex8(l.volume?.serialNumber ?? 0));
    set('Volume label', l.volume?.label);
    set('Local path', l.linkInfo.localBasePath);
    if (!l.linkInfo.localBasePath) set('Network path', l.linkInfo.path);
  }
  set('Description', l.description);
  set('Relative path', l.relativePath);
  set('Working directory', l.workingDir);
  set('Command line arguments', l.arguments);
  set('Icon location', l.strings.iconLocation);
  set('Environment variables location', l.environmentTarget);
  const t = l.extra.tracker;
  if (t) {
    set('Machine identifier', t.machineId);
    set('Droid volume identifier', t.droidVolume.guid.toLowerCase());
    set('Droid file identifier', t.droidFile.guid.toLowerCase());
    set('Birth droid volume identifier', t.birthDroidVolume.guid.toLowerCase());
    set('Birth droid file identifier', t.birthDroidFile.guid.toLowerCase());
  }
  const items: string[] = [];
  for (const it of l.idList?.items ?? []) {
    if (it.kind === 'root') items.push(`Shell folder identifier=${it.guid.toLowerCase()}`);
    else if (it.kind === 'volume' && it.drive) items.push(`Volume name=${it.drive}`);
    else if (it.kind === 'file') {
      items.push(`Name=${it.shortName}`);
      if (it.longName !== undefined) items.push(`Long name=${it.longName}`);
    }
  }
  return { fields: f, items };
}

const run = promisify(execFile);

describe.skipIf(!HAVE_LNKINFO)('shortcut reader vs liblnk lnkinfo', () => {
  if (!HAVE_LNKINFO) console.warn('[skip] lnkinfo (Debian liblnk-utils) is not installed: comparison with liblnk skipped');
  const dir = HAVE_LNKINFO ? mkdtempSync(join(tmpdir(), 'lnkinfo-')) : '';
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cyrillic: LnkSpec = {
    ...randomLnkSpec(new Prng(SEED + 1)),
    target: 'C:\\Users\\Пётр\\AppData\\Roaming\\Служба\\svc.exe',
    unicode: true,
    idList: true,
    linkInfo: { volume: { driveType: 3, serialNumber: 0x0badf00d, label: 'Système' } },
    arguments: '/тихо',
    workingDir: 'C:\\Users\\Пётр',
  };

  it(`agrees on every field lnkinfo prints for ${COUNT} seeded shortcuts (seed ${SEED}) and a Cyrillic one`, async () => {
    const rng = new Prng(SEED);
    const specs = [...Array.from({ length: COUNT }, () => randomLnkSpec(rng)), cyrillic];
    let compared = 0;
    let itemsCompared = 0;
    for (let i = 0; i < specs.length; i += 4) {
      const batch = specs.slice(i, i + 4).map(async (spec, k) => {
        const bytes = writeLnk(spec);
        const path = join(dir, `s${i + k}.lnk`);
        writeFileSync(path, bytes);
        const { stdout } = await run('lnkinfo', ['-v', path], { timeout: 30_000, encoding: 'utf8' });
        const theirs = parseLnkinfo(stdout);
        const ours = parseLnk(bytes, path);
        expect(ours.problems, path).toEqual([]);
        const want = expected(ours);
        for (const [key, value] of want.fields) {
          expect(theirs.fields.get(key), `${path}: ${key}`).toBe(value);
          compared++;
        }
        // and lnkinfo prints nothing we left out
        for (const key of ['Local path', 'Network path', 'Description', 'Relative path', 'Working directory', 'Command line arguments', 'Icon location', 'Environment variables location', 'Machine identifier']) {
          expect(want.fields.has(key), `${path}: ${key} printed by lnkinfo only`).toBe(theirs.fields.has(key));
        }
        expect(want.items, path).toEqual(theirs.items);
        itemsCompared += want.items.length;
      });
      await Promise.all(batch);
    }
    expect(compared).toBeGreaterThan(COUNT * 10);
    expect(itemsCompared).toBeGreaterThan(COUNT * 5);
  }, 120_000);
});
