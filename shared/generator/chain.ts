// A small builder for the events of one activity: it advances a clock by realistic gaps and
// stamps every event with the host, the time (ms + 100 ns ticks) and the story label.

import type { Prng } from './prng';
import type { HostSpec, Label, LogicalEvent, Proc, RegistryOp } from './model';
import type { HostEnv } from './host-env';

export class Chain {
  readonly events: LogicalEvent[] = [];
  t: number;
  private readonly host: HostSpec;

  constructor(readonly env: HostEnv, readonly rng: Prng, startMs: number) {
    this.t = startMs;
    this.host = env.host;
  }

  /** Advance the clock by a random gap in [minMs, maxMs]. */
  wait(minMs: number, maxMs: number): this {
    this.t += this.rng.int(minMs, maxMs);
    return this;
  }

  private sub(): number {
    return this.rng.int(0, 9999);
  }

  /** Spawn a process and log its start. */
  spawn(parent: Proc, image: string, commandLine: string, label?: Label, opts: Parameters<HostEnv['spawn']>[4] = {}): Proc {
    const p = this.env.spawn(parent, image, commandLine, this.t, opts);
    this.started(p, label);
    return p;
  }

  /** Log the start of a process created elsewhere (logon processes). */
  started(p: Proc, label?: Label): void {
    this.events.push({ kind: 'process', ms: p.startMs, sub: this.sub(), host: this.host, proc: p, label });
  }

  file(proc: Proc, target: string, label?: Label): void {
    this.events.push({ kind: 'file', ms: this.t, sub: this.sub(), host: this.host, proc, target, label });
  }

  reg(proc: Proc, op: RegistryOp, label?: Label): void {
    this.events.push({ kind: 'registry', ms: this.t, sub: this.sub(), host: this.host, proc, op, label });
  }

  /**
   * PowerShell in `proc` logs a script block (4104): in `parts` records of near-equal length
   * sharing one ScriptBlockId, a millisecond apart, as PowerShell splits a long block. With
   * `straddle`, the last cut falls in the middle of that text (a write split across two parts).
   */
  scriptBlock(proc: Proc, text: string, parts: number, label?: Label, straddle?: string): void {
    const blockId = `${this.rng.hex(8)}-${this.rng.hex(4)}-4${this.rng.hex(3)}-a${this.rng.hex(3)}-${this.rng.hex(12)}`;
    const at = straddle ? text.indexOf(straddle) : -1;
    const last = at >= 0 ? at + Math.floor((straddle?.length ?? 0) / 2) : Math.ceil(((parts - 1) * text.length) / parts);
    const cuts = [0, ...Array.from({ length: parts - 1 }, (_, i) => Math.floor(((i + 1) * last) / (parts - 1))), text.length];
    for (let i = 0; i < parts; i++) {
      this.events.push({ kind: 'script', eventId: 4104, ms: this.t + i, sub: this.sub(), host: this.host, proc, text: text.slice(cuts[i], cuts[i + 1]), part: i + 1, parts, blockId, label });
    }
  }

  /** PowerShell module logging (4103) of one command and its bound parameters. */
  moduleLog(proc: Proc, command: string, params: ReadonlyArray<readonly [string, string]>, label?: Label): void {
    const payload = [`CommandInvocation(${command}): "${command}"`, ...params.map(([n, v]) => `ParameterBinding(${command}): name="${n}"; value="${v}"`)].join('\r\n') + '\r\n';
    this.events.push({ kind: 'script', eventId: 4103, ms: this.t, sub: this.sub(), host: this.host, proc, payload, label });
  }

  /** A network logon (4624 type 3) of `proc`'s account from another machine. */
  networkLogon(proc: Proc, sourceIp: string, workstation: string, label?: Label): void {
    this.events.push({ kind: 'logon', ms: this.t, sub: this.sub(), host: this.host, proc, sourceIp, workstation, label });
  }
}
