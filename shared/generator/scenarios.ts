// The named trainer scenarios: which attack stories run, on how many hosts, what those hosts
// log, and how much benign activity surrounds them. A scenario plus a seed fixes every host,
// user, SID, time and value; --hosts and --events only scale the fleet and the noise.

import { Prng } from './prng';
import type { HostSpec, LoggingProfile, UserAccount } from './model';
import { ATTACK_STORIES, findStory } from './stories/attacks';
import { BENIGN_AUTOSTARTS } from './catalog/benign-autostarts';
import type { HostPlan } from './timeline';

export type OutputFormat = 'evtx' | 'xml' | 'ndjson' | 'csv';

export interface ScenarioDef {
  id: string;
  /** One line on what the scenario teaches (printed by --list). */
  teaches: string;
  stories: readonly string[];
  defaultHosts: number;
  defaultEvents: number;
  days: number;
  defaultFormat: OutputFormat;
  /** Logging of host i (of n). */
  logging(i: number, n: number): LoggingProfile;
  /** Benign autostart writes per host over the span (on average). */
  benignPerHost: number;
}

const mixedLogging = (i: number, n: number): LoggingProfile => (n > 2 && i === n - 1 ? 'security' : i % 3 === 1 ? 'sysmon' : 'sysmon+security');

export const SCENARIOS: readonly ScenarioDef[] = [
  {
    id: 'mixed', teaches: 'Every attack story across a small fleet with benign autostart writers around them; Sysmon, Security-only and mixed hosts',
    stories: ATTACK_STORIES.map((s) => s.id), defaultHosts: 6, defaultEvents: 20000, days: 3, defaultFormat: 'evtx', logging: mixedLogging, benignPerHost: 4,
  },
  {
    id: 'classroom-basics', teaches: 'The three classic footholds: reg.exe add HKCU Run from cmd.exe, encoded PowerShell in a Run value, a script in the Startup folder',
    stories: ['appdata-reg-add', 'encoded-powershell-run', 'startup-vbs'], defaultHosts: 3, defaultEvents: 3000, days: 2, defaultFormat: 'evtx',
    logging: () => 'sysmon', benignPerHost: 3,
  },
  {
    id: 'winlogon-tampering', teaches: 'Winlogon Userinit append and Shell replacement (T1547.004) and how they fire through winlogon.exe / userinit.exe',
    stories: ['winlogon-userinit', 'winlogon-shell'], defaultHosts: 3, defaultEvents: 3000, days: 2, defaultFormat: 'evtx',
    logging: (i) => (i === 0 ? 'sysmon+security' : 'sysmon'), benignPerHost: 2,
  },
  {
    id: 'startup-folder', teaches: 'Startup-folder persistence without a Run key: .vbs and .lnk drops, and User Shell Folders\\Startup redirection',
    stories: ['startup-vbs', 'startup-lnk', 'shell-folders-startup'], defaultHosts: 3, defaultEvents: 3000, days: 2, defaultFormat: 'evtx',
    logging: () => 'sysmon', benignPerHost: 2,
  },
  {
    id: 'living-off-the-land', teaches: 'Signed Windows binaries as payloads: mshta / rundll32 javascript: RunOnce, encoded PowerShell, a RunOnce that deletes itself',
    stories: ['mshta-runonce', 'rundll32-runonce', 'encoded-powershell-run', 'runonce-self-delete'], defaultHosts: 4, defaultEvents: 5000, days: 2, defaultFormat: 'evtx',
    logging: () => 'sysmon+security', benignPerHost: 3,
  },
  {
    id: 'masquerade-and-variants', teaches: 'Keys a narrow hunt misses: HKLM Run named OneDriveUpdate in ProgramData, WOW6432Node, Policies\\Explorer\\Run (created and renamed in regedit)',
    stories: ['onedrive-masquerade', 'wow6432-run', 'policies-explorer-run'], defaultHosts: 3, defaultEvents: 3000, days: 2, defaultFormat: 'evtx',
    logging: () => 'sysmon', benignPerHost: 4,
  },
  {
    id: 'no-sysmon-auditing', teaches: 'The same stories seen only through Security auditing: 4688 process creation with command lines and 4657 registry value changes',
    stories: ['appdata-reg-add', 'encoded-powershell-run', 'winlogon-userinit', 'onedrive-masquerade', 'runonce-self-delete'], defaultHosts: 4, defaultEvents: 5000, days: 2,
    defaultFormat: 'evtx', logging: () => 'security', benignPerHost: 3,
  },
  {
    id: 'defender-fleet', teaches: 'A larger fleet in Defender advanced-hunting tables (DeviceRegistryEvents / DeviceProcessEvents / DeviceFileEvents): rarity across devices',
    stories: ['appdata-reg-add', 'onedrive-masquerade', 'startup-lnk', 'rundll32-runonce'], defaultHosts: 10, defaultEvents: 15000, days: 3, defaultFormat: 'csv',
    logging: () => 'sysmon', benignPerHost: 5,
  },
  {
    id: 'powershell-and-remote', teaches: 'Writes seen in PowerShell logs (4104 in parts, 4103) and made from another machine (Remote Registry with its 4624 logon, PowerShell remoting), and a command line no reader can follow',
    stories: ['ps-scriptblock-run', 'remote-registry-run', 'wsmprovhost-run', 'unreadable-run-command'], defaultHosts: 2, defaultEvents: 3000, days: 2, defaultFormat: 'evtx',
    logging: () => 'sysmon+security', benignPerHost: 2,
  },
  {
    id: 'benign-only', teaches: 'False-positive check: only legitimate autostart writers (OneDrive, Teams, Edge, Defender, Office, installers) and ordinary activity',
    stories: [], defaultHosts: 4, defaultEvents: 5000, days: 2, defaultFormat: 'evtx', logging: mixedLogging, benignPerHost: 6,
  },
];

export function findScenario(id: string): ScenarioDef | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

export const DEFAULT_SCENARIO = 'mixed';
/** Every scenario starts here (a Monday, 00:00 UTC) so a seed alone fixes the times. */
export const SPAN_START_MS = Date.UTC(2026, 2, 2, 0, 0, 0);

const FIRST = ['anna', 'ben', 'carla', 'david', 'elena', 'farid', 'grace', 'hiro', 'ines', 'jonas', 'kemal', 'lena', 'marek', 'nora', 'omar', 'priya', 'quinn', 'rosa', 'sven', 'tara'];
const LAST = ['keller', 'okafor', 'novak', 'lindqvist', 'moreau', 'haddad', 'tanaka', 'silva', 'becker', 'kowalski', 'nguyen', 'ortiz', 'fischer', 'patel'];
const DEPTS = ['FIN', 'HR', 'ENG', 'SALES', 'OPS', 'LEGAL', 'IT', 'MKT'];
export const DOMAIN = 'CONTOSO';
const DNS = 'corp.contoso.com';

export interface GenerateOptions {
  scenario: string;
  seed: number;
  hosts?: number;
  /** Approximate number of logical events (records scale with it). */
  events?: number;
}

export interface Plan {
  scenario: ScenarioDef;
  seed: number;
  hosts: HostPlan[];
  startMs: number;
  endMs: number;
}

/** Fix hosts, users, logons, stories and benign writes for a scenario and seed. */
export function planScenario(opts: GenerateOptions): Plan {
  const scenario = findScenario(opts.scenario);
  if (!scenario) throw new Error(`unknown scenario ${opts.scenario}`);
  const rng = new Prng(opts.seed);
  const nHosts = Math.max(1, Math.floor(opts.hosts ?? scenario.defaultHosts));
  const totalEvents = Math.max(0, Math.floor(opts.events ?? scenario.defaultEvents));
  const startMs = SPAN_START_MS;
  const endMs = startMs + scenario.days * 86_400_000;
  const domainSid = `S-1-5-21-${rng.int(1_000_000_000, 3_999_999_999)}-${rng.int(1_000_000_000, 3_999_999_999)}-${rng.int(100_000_000, 999_999_999)}`;
  const usedNames = new Set<string>();
  let rid = 1100 + rng.int(0, 400);
  const newUser = (): UserAccount => {
    let name = `${rng.pick(FIRST)}.${rng.pick(LAST)}`;
    // after a few collisions (large fleets use up the name pairs) add a number, as directories do
    for (let tries = 0; usedNames.has(name); tries++) name = `${rng.pick(FIRST)}.${rng.pick(LAST)}${tries < 8 ? '' : tries}`;
    usedNames.add(name);
    rid += rng.int(1, 40);
    return { domain: DOMAIN, name, sid: `${domainSid}-${rid}`, profile: `C:\\Users\\${name}` };
  };

  const hosts: HostPlan[] = [];
  const usedHosts = new Set<string>();
  for (let i = 0; i < nHosts; i++) {
    let short = `WS-${rng.pick(DEPTS)}-${String(rng.int(1, 399)).padStart(3, '0')}`;
    for (let n = 1000; usedHosts.has(short); n++) short = `WS-${rng.pick(DEPTS)}-${String(n > 3000 ? n : rng.int(1, 399)).padStart(3, '0')}`;
    usedHosts.add(short);
    const users = [newUser()];
    if (rng.chance(0.3)) users.push(newUser());
    const host: HostSpec = {
      fqdn: `${short}.${DNS}`, name: short, logging: scenario.logging(i, nHosts), users,
      deviceId: rng.hex(40), guidPrefix: rng.hex(8).toUpperCase(), sysmonPid: rng.int(600, 4000) * 4, lsassPid: rng.int(150, 200) * 4,
      osBuild: '10.0.19045',
    };
    const logons: HostPlan['logons'] = [];
    for (let d = 0; d < scenario.days; d++) {
      for (const u of users) logons.push({ ms: startMs + d * 86_400_000 + rng.int(7 * 3600, 9 * 3600) * 1000 + rng.int(0, 999), user: u });
    }
    const preinstalled = BENIGN_AUTOSTARTS.filter((e) => e.fires && !e.runOnce && rng.chance(0.6));
    const benign = [];
    const nBenign = Math.max(0, Math.round(scenario.benignPerHost * (0.5 + rng.next())));
    for (let k = 0; k < nBenign; k++) {
      const day = rng.int(0, scenario.days - 1);
      benign.push({ entry: rng.pick(BENIGN_AUTOSTARTS), user: rng.pick(users), ms: startMs + day * 86_400_000 + rng.int(10 * 3600, 17 * 3600) * 1000 });
    }
    hosts.push({ host, startMs, endMs, logons, stories: [], benign, preinstalled, noiseEvents: 0 });
  }

  // Stories go round-robin over the hosts, during working hours of a day that has a later logon.
  scenario.stories.forEach((id, k) => {
    const story = findStory(id);
    if (!story) throw new Error(`scenario ${scenario.id} names unknown story ${id}`);
    const hp = hosts[k % hosts.length];
    const day = rng.int(0, Math.max(0, scenario.days - 2));
    hp.stories.push({ story, user: hp.host.users[0], ms: startMs + day * 86_400_000 + rng.int(10 * 3600, 16 * 3600) * 1000 + rng.int(0, 999) });
  });

  const per = Math.floor(totalEvents / nHosts);
  hosts.forEach((h, i) => (h.noiseEvents = per + (i < totalEvents % nHosts ? 1 : 0)));
  return { scenario, seed: opts.seed, hosts, startMs, endMs };
}

export function storyIds(): string[] {
  return ATTACK_STORIES.map((s) => s.id);
}
