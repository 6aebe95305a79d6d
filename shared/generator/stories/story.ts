// The contract between attack stories and the timeline: a story writes its chain (writer process,
// payload file, registry write) at one moment and registers an autostart; the timeline fires every
// registered autostart at the user's next logon, as Windows would (explorer.exe for Run / RunOnce
// and the Startup folder, winlogon.exe for Winlogon\Userinit, userinit.exe for Winlogon\Shell).

import type { Chain } from '../chain';
import type { Label, Proc, UserAccount } from '../model';

export type Launcher = 'explorer' | 'winlogon' | 'shell';

export interface Autostart {
  id: string;
  /** The user whose logon fires it; undefined = machine-wide (every user's logon). */
  user?: UserAccount;
  launcher: Launcher;
  image: string;
  commandLine: string;
  /** RunOnce entries: the value explorer.exe deletes just before starting it. */
  runOnce?: { key: string; valueName: string; data: string };
  /** Label for the firing (and the RunOnce deletion) when the entry belongs to a story. */
  label?: Omit<Label, 'role'>;
}

export interface StoryContext {
  chain: Chain;
  user: UserAccount;
  /** The user's shell (explorer.exe of the current logon). */
  explorer: Proc;
  register(a: Autostart): void;
}

export interface AttackStory {
  id: string;
  title: string;
  techniques: string[];
  run(ctx: StoryContext): void;
}
