// Parameter binding as PowerShell does it for the cmdlets the reader knows: by name, alias or
// unique prefix (-Na for -Name), by position for what is left, switches taking no value unless
// written -Switch:$false, and splatting (@h names, @a positions). A parameter the cmdlet does not
// have, or an ambiguous prefix, stops positional binding (what follows could be its value): the
// positions are then unknown rather than guessed.

import type { Value } from './ps-values';

export interface CmdletSpec {
  /** Canonical lower-case names, each with its aliases. */
  params: Record<string, readonly string[]>;
  positions: readonly string[];
  switches?: readonly string[];
  /** Extra positional arguments after the last position go here (Join-Path's AdditionalChildPath). */
  rest?: string;
}

export type EvaluatedArg = { param: string; value?: Value } | { value: Value; splat?: 'hash' | 'array' };

export interface Bound {
  named: Map<string, Value>;
  /** Positional binding stopped at an unknown parameter. */
  uncertain: boolean;
}

const COMMON: Record<string, readonly string[]> = {
  erroraction: ['ea'], errorvariable: ['ev'], warningaction: ['wa'], warningvariable: ['wv'], informationaction: ['infa'],
  informationvariable: ['iv'], outvariable: ['ov'], outbuffer: ['ob'], pipelinevariable: ['pv'], verbose: ['vb'], debug: ['db'],
  whatif: ['wi'], confirm: ['cf'], progressaction: ['proga'],
};
const COMMON_SWITCHES = new Set(['verbose', 'debug', 'whatif', 'confirm']);

function resolveName(spec: CmdletSpec, name: string): string | undefined | null {
  const all: Array<[string, string]> = [];
  for (const [canon, aliases] of Object.entries(spec.params)) {
    all.push([canon, canon]);
    for (const a of aliases) all.push([a, canon]);
  }
  for (const [canon, aliases] of Object.entries(COMMON)) {
    all.push([canon, canon]);
    for (const a of aliases) all.push([a, canon]);
  }
  const exact = all.find(([n]) => n === name);
  if (exact) return exact[1];
  const hits = new Set(all.filter(([n]) => n.startsWith(name)).map(([, c]) => c));
  if (hits.size === 1) return [...hits][0];
  return hits.size === 0 ? undefined : null;
}

export function bind(spec: CmdletSpec, args: readonly EvaluatedArg[]): Bound {
  const named = new Map<string, Value>();
  const positional: Value[] = [];
  let uncertain = false;
  const isSwitch = (c: string) => (spec.switches?.includes(c) ?? false) || COMMON_SWITCHES.has(c);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if ('param' in a) {
      const canon = resolveName(spec, a.param);
      if (canon === undefined || canon === null) {
        uncertain = true;
        continue;
      }
      if (a.value !== undefined) named.set(canon, a.value);
      else if (isSwitch(canon)) named.set(canon, { t: 'bool', b: true });
      else {
        const next = args[i + 1];
        if (next !== undefined && !('param' in next)) {
          named.set(canon, next.value);
          i++;
        }
      }
      continue;
    }
    if (a.splat === 'hash' && a.value.t === 'hash') {
      for (const [k, v] of a.value.map) {
        const canon = resolveName(spec, k);
        if (canon) named.set(canon, v);
      }
      continue;
    }
    if (a.splat === 'array' && a.value.t === 'arr') {
      positional.push(...a.value.items);
      continue;
    }
    if (uncertain) continue;
    positional.push(a.value);
  }
  let p = 0;
  for (const name of spec.positions) {
    if (named.has(name)) continue;
    if (p >= positional.length) break;
    named.set(name, positional[p++]);
  }
  if (spec.rest && p < positional.length) named.set(spec.rest, { t: 'arr', items: positional.slice(p) });
  return { named, uncertain };
}
