// One host's events in time order, produced lazily so a multi-GB output needs bounded memory.
// Activities (logons, stories, benign installs, noise) start in time order; each expands into a
// few events at or after its start, held in a small heap until nothing earlier can come. Noise is
// a Poisson process drawn on demand; only stories and logons are planned up front.

import { Chain } from './chain';
import { HostEnv, SYSTEM_ACCOUNT } from './host-env';
import type { Prng } from './prng';
import type { HostSpec, Label, LogicalEvent, Proc, UserAccount } from './model';
import type { AttackStory, Autostart } from './stories/story';
import { BENIGN_AUTOSTARTS, type BenignAutostart } from './catalog/benign-autostarts';
import { NOISE } from './catalog/noise';
import { SYS32 } from './catalog/images';

export interface PlannedStory {
  story: AttackStory;
  ms: number;
  user: UserAccount;
}

export interface PlannedBenign {
  entry: BenignAutostart;
  ms: number;
  user: UserAccount;
}

export interface HostPlan {
  host: HostSpec;
  startMs: number;
  endMs: number;
  /** Morning logons: [ms, user]. */
  logons: { ms: number; user: UserAccount }[];
  stories: PlannedStory[];
  benign: PlannedBenign[];
  /** Benign entries registered before the span (they fire at logons but are not written in it). */
  preinstalled: BenignAutostart[];
  noiseEvents: number;
}

interface Activity {
  ms: number;
  seq: number;
  run(): void;
}

class EventHeap {
  private readonly a: LogicalEvent[] = [];
  private readonly order: number[] = [];
  private seq = 0;
  get size(): number {
    return this.a.length;
  }
  private less(i: number, j: number): boolean {
    const x = this.a[i];
    const y = this.a[j];
    if (x.ms !== y.ms) return x.ms < y.ms;
    if (x.sub !== y.sub) return x.sub < y.sub;
    return this.order[i] < this.order[j];
  }
  private swap(i: number, j: number): void {
    [this.a[i], this.a[j]] = [this.a[j], this.a[i]];
    [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
  }
  push(e: LogicalEvent): void {
    this.a.push(e);
    this.order.push(this.seq++);
    let i = this.a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  peek(): LogicalEvent | undefined {
    return this.a[0];
  }
  pop(): LogicalEvent | undefined {
    if (this.a.length === 0) return undefined;
    const top = this.a[0];
    const last = this.a.pop() as LogicalEvent;
    const lastOrder = this.order.pop() as number;
    if (this.a.length > 0) {
      this.a[0] = last;
      this.order[0] = lastOrder;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.a.length && this.less(l, m)) m = l;
        if (r < this.a.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

function benignLabel(e: BenignAutostart): Label {
  return { story: `benign:${e.id}`, title: e.title, role: 'benign-autostart', malicious: false, techniques: [], maxSeverity: 'low' };
}

function hkcu(user: UserAccount, sub: string): string {
  return `HKU\\${user.sid}\\${sub}`;
}

/** The events of one host, in time order. */
export function* hostEvents(plan: HostPlan, rng: Prng): Generator<LogicalEvent> {
  const env = new HostEnv(plan.host, rng.fork('env'), plan.startMs - 3_600_000 * 2);
  const heap = new EventHeap();
  const autostarts: Autostart[] = [];
  const firedOnce = new Set<Autostart>();
  let seq = 0;
  const activities: Activity[] = [];
  const add = (ms: number, run: () => void) => activities.push({ ms, seq: seq++, run });
  const flush = (c: Chain) => {
    for (const e of c.events) heap.push(e);
  };

  for (const e of plan.preinstalled) {
    for (const u of e.hive === 'HKLM' ? [undefined] : plan.host.users) {
      if (e.fires && !e.runOnce) autostarts.push(benignAutostart(e, u ?? plan.host.users[0], e.hive === 'HKLM'));
    }
  }

  for (const l of plan.logons) add(l.ms, () => logon(l.user, l.ms));
  for (const s of plan.stories) {
    add(s.ms, () => {
      const c = new Chain(env, rng, s.ms);
      const explorer = env.explorerOf(s.user) ?? env.logon(s.user, s.ms - 3_600_000).explorer;
      s.story.run({ chain: c, user: s.user, explorer, register: (a) => autostarts.push(a) });
      flush(c);
    });
  }
  for (const b of plan.benign) add(b.ms, () => benignWrite(b));
  activities.sort((x, y) => x.ms - y.ms || x.seq - y.seq);

  function benignAutostart(e: BenignAutostart, u: UserAccount, machine: boolean): Autostart {
    const fire = e.fires?.(u);
    const key = e.hive === 'HKLM' ? `HKLM\\${e.subKey}` : hkcu(u, e.subKey);
    return {
      id: e.id, user: machine ? undefined : u, launcher: 'explorer', image: fire?.image ?? '', commandLine: fire?.commandLine ?? '',
      runOnce: e.runOnce ? { key, valueName: e.valueName(u), data: e.data(u) } : undefined,
      label: { story: `benign:${e.id}`, title: e.title, malicious: false, techniques: [], maxSeverity: 'low' },
    };
  }

  function benignWrite(b: PlannedBenign): void {
    const c = new Chain(env, rng, b.ms);
    const { entry: e, user: u } = b;
    const parent: Proc = e.writerParent === 'explorer' ? env.explorerOf(u) ?? env.logon(u, b.ms - 3_600_000).explorer
      : e.writerParent === 'scheduler' ? env.svchost : env.services;
    const writer = c.spawn(parent, e.writerImage(u), e.writerCommandLine(u), undefined,
      e.runsAsSystem ? { user: SYSTEM_ACCOUNT, integrity: 'System' } : { user: u, integrity: 'Medium' });
    c.wait(300, 8000);
    const key = e.hive === 'HKLM' ? `HKLM\\${e.subKey}` : hkcu(u, e.subKey);
    c.reg(writer, { action: 'set-value', key, valueName: e.valueName(u), valueType: e.valueType, data: e.data(u) }, benignLabel(e));
    flush(c);
    const a = benignAutostart(e, u, e.hive === 'HKLM');
    if ((e.fires || e.runOnce) && !autostarts.some((x) => x.id === a.id && x.user?.sid === a.user?.sid)) autostarts.push(a);
  }

  function logon(user: UserAccount, ms: number): void {
    const c = new Chain(env, rng, ms);
    const shellEntry = autostarts.find((a) => a.launcher === 'shell');
    const { session, userinit } = env.logon(user, ms);
    c.started(userinit);
    let explorer = session.explorer as Proc;
    for (const a of autostarts) {
      if (a.launcher !== 'winlogon') continue;
      c.t = ms + rng.int(5, 60);
      c.spawn(session.winlogon, a.image, a.commandLine, a.label ? { ...a.label, role: 'execution' } : undefined, { user, integrity: 'Medium' });
    }
    if (shellEntry) {
      c.t = ms + rng.int(150, 400);
      const shell = c.spawn(userinit, shellEntry.image, shellEntry.commandLine, shellEntry.label ? { ...shellEntry.label, role: 'execution' } : undefined);
      c.wait(400, 2000);
      explorer = c.spawn(shell, 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE');
      session.explorer = explorer;
    } else {
      c.started(explorer);
    }
    c.t = explorer.startMs + rng.int(2000, 6000);
    for (const a of autostarts) {
      if (a.launcher !== 'explorer') continue;
      if (a.user && a.user.sid !== user.sid) continue;
      if (a.runOnce && firedOnce.has(a)) continue;
      c.wait(40, 1500);
      const label = a.label ? { ...a.label } : undefined;
      if (a.runOnce) {
        firedOnce.add(a);
        c.reg(explorer, { action: 'delete-value', key: a.runOnce.key, valueName: a.runOnce.valueName, valueType: 'REG_SZ', previous: a.runOnce.data }, label ? { ...label, role: 'cleanup', minSeverity: undefined } : undefined);
        c.wait(2, 30);
      }
      if (a.image) c.spawn(explorer, a.image, a.commandLine, label ? { ...label, role: 'execution', minSeverity: undefined } : undefined);
    }
    // processes every logon brings up
    c.wait(500, 3000);
    c.spawn(explorer, `${SYS32}\\RuntimeBroker.exe`, 'C:\\Windows\\System32\\RuntimeBroker.exe -Embedding');
    flush(c);
  }

  // Noise: a Poisson process across the span, on the users' shells.
  const meanGap = plan.noiseEvents > 0 ? (plan.endMs - plan.startMs) / plan.noiseEvents : Infinity;
  let noiseLeft = plan.noiseEvents;
  let nextNoise = plan.startMs + rng.exp(meanGap);
  let ai = 0;
  const noiseRng = rng.fork('noise');

  for (;;) {
    const nextAct = ai < activities.length ? activities[ai].ms : Infinity;
    const noiseAt = noiseLeft > 0 && nextNoise < plan.endMs ? nextNoise : Infinity;
    const next = Math.min(nextAct, noiseAt);
    while (heap.size > 0 && (heap.peek() as LogicalEvent).ms < next) yield heap.pop() as LogicalEvent;
    if (next === Infinity) break;
    if (nextAct <= noiseAt) {
      activities[ai++].run();
    } else {
      const ms = Math.floor(noiseAt);
      const user = noiseRng.pick(plan.host.users);
      const shell = env.explorerOf(user);
      if (shell) {
        const c = new Chain(env, noiseRng, ms);
        noiseRng.weighted(NOISE)(c, user, shell);
        noiseLeft -= Math.max(1, c.events.length);
        flush(c);
      }
      nextNoise += noiseRng.exp(meanGap);
    }
  }
  while (heap.size > 0) yield heap.pop() as LogicalEvent;
}

export { BENIGN_AUTOSTARTS };
