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
}
