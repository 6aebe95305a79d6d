// One host's process world: pid allocation (multiples of 4, as Windows hands them out), Sysmon
// process GUIDs (machine part + start time, as Sysmon composes them), the long-running system
// processes and each user's logon session (winlogon → userinit → explorer). Stories and noise
// spawn their processes through here so parent links (ParentProcessGuid / ParentProcessId /
// ParentImage) always point at a process that really exists on the host.

import { Prng, hashString } from './prng';
import { imageMeta, SYS32 } from './catalog/images';
import type { HostSpec, Integrity, Proc, UserAccount } from './model';

export const SYSTEM_ACCOUNT: UserAccount = { domain: 'NT AUTHORITY', name: 'SYSTEM', sid: 'S-1-5-18', profile: 'C:\\Windows\\system32\\config\\systemprofile' };

export interface Session {
  user: UserAccount;
  logonId: string;
  logonGuid: string;
  sessionId: number;
  winlogon: Proc;
  explorer?: Proc;
}

export class HostEnv {
  readonly host: HostSpec;
  private readonly rng: Prng;
  private nextPid: number;
  private guidCounter: number;
  readonly system: Proc;
  readonly services: Proc;
  readonly svchost: Proc;
  readonly sessions = new Map<string, Session>();

  constructor(host: HostSpec, rng: Prng, bootMs: number) {
    this.host = host;
    this.rng = rng;
    this.nextPid = rng.int(200, 400) * 4;
    this.guidCounter = rng.int(0x100000, 0x7fffff);
    const sys: Proc = this.make(`${SYS32}\\ntoskrnl.exe`, 'System', SYSTEM_ACCOUNT, undefined, bootMs, 'System', { logonId: '0x3e7', logonGuid: '', sessionId: 0 });
    sys.pid = 4;
    this.system = sys;
    this.services = this.make(`${SYS32}\\services.exe`, `${SYS32}\\services.exe`, SYSTEM_ACCOUNT, sys, bootMs + 900, 'System', this.systemLogon());
    this.svchost = this.make(`${SYS32}\\svchost.exe`, `${SYS32}\\svchost.exe -k netsvcs -p -s Schedule`, SYSTEM_ACCOUNT, this.services, bootMs + 2100, 'System', this.systemLogon());
  }

  private systemLogon() {
    return { logonId: '0x3e7', logonGuid: this.logonGuid('0x3e7'), sessionId: 0 };
  }

  logonGuid(logonId: string): string {
    const n = hashString(`${this.host.fqdn}:${logonId}`).toString(16).padStart(8, '0').toUpperCase();
    return `{${this.host.guidPrefix}-${n.slice(0, 4)}-${n.slice(4, 8)}-${logonId === '0x3e7' ? 'E703' : '0000'}-000000000000}`;
  }

  private allocPid(): number {
    this.nextPid += this.rng.int(1, 60) * 4;
    if (this.nextPid > 60000) this.nextPid = this.rng.int(200, 400) * 4;
    return this.nextPid;
  }

  private processGuid(startMs: number): string {
    const secs = Math.floor(startMs / 1000) >>> 0;
    const h = secs.toString(16).padStart(8, '0').toUpperCase();
    this.guidCounter = (this.guidCounter + this.rng.int(1, 4096)) % 0xffffffff;
    const tail = this.guidCounter.toString(16).padStart(8, '0').toUpperCase();
    return `{${this.host.guidPrefix}-${h.slice(4, 8)}-${h.slice(0, 4)}-${this.rng.pick(['0C00', '0D00', '0E00', '1000'])}-0000${tail}}`;
  }

  private make(image: string, commandLine: string, user: UserAccount, parent: Proc | undefined, startMs: number, integrity: Integrity,
    logon: { logonId: string; logonGuid: string; sessionId: number }): Proc {
    const dir = user.sid === SYSTEM_ACCOUNT.sid ? `${SYS32}\\` : `${user.profile}\\`;
    return {
      image, commandLine, pid: this.allocPid(), guid: this.processGuid(startMs), startMs, user, integrity,
      logonId: logon.logonId, logonGuid: logon.logonGuid, sessionId: logon.sessionId, currentDirectory: dir,
      meta: imageMeta(image), parent,
    };
  }

  /** A new process started by `parent`, in the parent's logon session unless told otherwise. */
  spawn(parent: Proc, image: string, commandLine: string, startMs: number, opts: { integrity?: Integrity; user?: UserAccount; currentDirectory?: string } = {}): Proc {
    const p = this.make(image, commandLine, opts.user ?? parent.user, parent, startMs, opts.integrity ?? parent.integrity,
      { logonId: parent.logonId, logonGuid: parent.logonGuid, sessionId: parent.sessionId });
    if (opts.currentDirectory) p.currentDirectory = opts.currentDirectory;
    return p;
  }

  /** A user's interactive logon: winlogon.exe (session's), then userinit.exe and explorer.exe. */
  logon(user: UserAccount, ms: number): { session: Session; userinit: Proc; explorer: Proc } {
    const sessionId = this.sessions.size + 1;
    const logonId = `0x${(0x100000 + this.rng.int(0, 0xeffff) * 16).toString(16)}`;
    const logon = { logonId, logonGuid: this.logonGuid(logonId), sessionId };
    const winlogon = this.make(`${SYS32}\\winlogon.exe`, 'winlogon.exe', SYSTEM_ACCOUNT, this.system, ms - 15000, 'System',
      { logonId: '0x3e7', logonGuid: this.logonGuid('0x3e7'), sessionId });
    const userinit = this.make(`${SYS32}\\userinit.exe`, `${SYS32}\\userinit.exe`, user, winlogon, ms, 'Medium', logon);
    const explorer = this.make('C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', user, userinit, ms + 180, 'Medium', logon);
    const session: Session = { user, logonId, logonGuid: logon.logonGuid, sessionId, winlogon, explorer };
    this.sessions.set(user.sid, session);
    return { session, userinit, explorer };
  }

  explorerOf(user: UserAccount): Proc | undefined {
    return this.sessions.get(user.sid)?.explorer;
  }
}
