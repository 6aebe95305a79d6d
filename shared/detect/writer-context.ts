// The writer's context, in the case stage: who made the write on whose behalf. A write by the
// Remote Registry service, by WMI's provider host for a remote caller, or under wsmprovhost.exe
// (PowerShell remoting) came over the network; the rules themselves live in the indicator catalog
// (writer.remote-registry, writer.remote-wmi, writer.ps-remoting), this module hands them the
// writer's start and ancestors and the network logon (Security 4624 type 3) that carried it: the
// same host, at most LOGON_BEFORE_MS before the write (or a few seconds after: clocks of two logs
// differ), the write's account when both name one, the nearest first. A case without the
// Security log gives the reasons without the logon, never an error.

import type { NetworkLogon, Reason } from '../model/finding';
import { INDICATORS, type IndicatorContext } from './indicators';
import { pushTo } from './collections';
import { imageName } from './paths';
import type { Candidate, CorrelationIndex, IndexedLogon } from './types';

const WRITER_RULES = ['writer.remote-registry', 'writer.remote-wmi', 'writer.ps-remoting'] as const;
/** A network logon this long before a write can have carried it (a reg.exe \\host session is seconds). */
export const LOGON_BEFORE_MS = 10 * 60 * 1000;
const LOGON_AFTER_MS = 5000;

const shortHost = (h: string) => h.toLowerCase().split('.', 1)[0];
const accountName = (a: string | undefined) => (a ?? '').replace(/^.*\\/, '').toLowerCase();

/** Network logons per host, time-sorted, built on first use. */
export class LogonLookup {
  private byHost?: Map<string, IndexedLogon[]>;
  constructor(private readonly index: CorrelationIndex) {}

  /** The logon that most likely carried a write of `user` on `host` at `timeMs`. */
  carrying(host: string, timeMs: number, user: string | undefined): IndexedLogon | undefined {
    if (!this.byHost) {
      this.byHost = new Map();
      for (const l of this.index.logons ?? []) pushTo(this.byHost, shortHost(l.host), l);
      for (const list of this.byHost.values()) list.sort((a, b) => a.timeMs - b.timeMs);
    }
    const list = this.byHost.get(shortHost(host));
    if (!list || !Number.isFinite(timeMs)) return undefined;
    // a service account (Remote Registry's LOCAL SERVICE) names no caller
    const named = accountName(user);
    const who = /^(system|local service|network service)$/.test(named) ? '' : named;
    let best: IndexedLogon | undefined;
    for (const l of list) {
      if (l.timeMs < timeMs - LOGON_BEFORE_MS) continue;
      if (l.timeMs > timeMs + LOGON_AFTER_MS) break;
      // machine accounts (HOST$) and anonymous logons carry no one's edit
      const acct = accountName(l.account);
      if (acct.endsWith('$') || acct === 'anonymous logon') continue;
      if (who && acct && who !== acct) continue;
      if (!best || Math.abs(l.timeMs - timeMs) <= Math.abs(best.timeMs - timeMs)) best = l;
    }
    return best;
  }
}

function asNetworkLogon(l: IndexedLogon): NetworkLogon {
  const out: NetworkLogon = { key: l.key, ref: l.ref, time: l.time, logonType: l.logonType };
  if (l.account) out.account = l.account;
  if (l.ipAddress && l.ipAddress !== '-') out.sourceIp = l.ipAddress;
  if (l.workstation && l.workstation !== '-') out.workstation = l.workstation;
  if (l.logonId) out.logonId = l.logonId;
  return out;
}

export interface WriterContext {
  reasons: Reason[];
  networkLogon?: NetworkLogon;
}

/**
 * The writer-context reasons of one finding. `chain` is the writer's start and its ancestors,
 * nearest first (as far as the evidence goes). Rules already among the candidate's reasons (a
 * Defender row names the writer's command line itself) are not added twice.
 */
export function writerContext(c: Candidate, writer: Candidate['writer'], chain: ReadonlyArray<{ image?: string; commandLine?: string }>, logons: LogonLookup): WriterContext {
  const name = imageName(writer.image);
  const remoteCandidate = name === 'svchost.exe' || name === 'regsvc.exe' || name === 'wmiprvse.exe' || name === 'wsmprovhost.exe'
    || chain.some((p) => imageName(p.image) === 'wsmprovhost.exe');
  if (!remoteCandidate) return { reasons: [] };
  const logon = logons.carrying(c.host, c.timeMs, c.user ?? writer.user);
  const networkLogon = logon ? asNetworkLogon(logon) : undefined;
  const self = chain[0] ?? { image: writer.image, commandLine: writer.commandLine };
  const ctx: IndicatorContext = {
    basis: 'registry', location: { id: c.location, title: c.locationTitle, keys: [], scope: 'any', baseWeight: 0, attack: [], note: '' },
    valueName: c.valueName, value: c.value, valueLower: c.value.toLowerCase(), writerImage: writer.image, writerName: name,
    writerCommandLine: self.commandLine ?? writer.commandLine, parentImage: writer.parentImage, user: c.user, dataIsCommand: false,
    writerChain: chain.length ? chain : [self], networkLogon,
  };
  const reasons: Reason[] = [];
  let remote = false;
  for (const id of WRITER_RULES) {
    const rule = INDICATORS.get(id);
    if (!rule) continue;
    const h = rule.test(ctx);
    if (!h) continue;
    remote = true;
    // a per-event hit (a Defender row names the writer's command line itself) is not repeated
    if (c.reasons.some((r) => r.id === id)) continue;
    reasons.push({ id, title: rule.title, weight: h.weight ?? rule.weight, attack: h.attack ?? [...rule.attack], explanation: h.explanation, matched: h.matched });
  }
  // the logon is shown for a write that came over the network, whichever stage saw that first
  return remote && networkLogon ? { reasons, networkLogon } : { reasons };
}
