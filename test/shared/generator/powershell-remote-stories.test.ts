// The generator's PowerShell and remote-write stories (issue #19 item 6), read back through the
// project's readers and engine: a 4104 block in three parts and a 4103 of one Run write, a Remote
// Registry write with its 4624 type-3 logon, a write inside wsmprovhost.exe, a command line no
// reader follows. The answer key names every record; the engine's findings cite them. Seed fixed.

import { describe, expect, it } from 'vitest';
import { analyzeGenerated, collectGenerated } from '../detect/analyze-generated';
import type { ScriptEvent } from '../../../shared/model/events';
import { severityRank } from '../../../shared/model/finding';

const SEED = 1547;
const scenario = 'powershell-and-remote';

describe('generator: PowerShell and remote-write stories', () => {
  it('writes the 4104 block in three parts of one ScriptBlockId, none holding the whole write, and the 4103 bound values', async () => {
    const { events, key } = await collectGenerated({ scenario, seed: SEED, format: 'evtx' });
    const parts = events.filter((e): e is ScriptEvent => e.kind === 'script' && e.eventId === 4104 && e.messageTotal === 3);
    expect(parts.map((p) => p.messageNumber)).toEqual([1, 2, 3]);
    expect(new Set(parts.map((p) => p.scriptBlockId)).size).toBe(1);
    expect(parts.some((p) => p.scriptText?.includes("Set-ItemProperty -Path $k -Name 'WindowsUpdateHelper'"))).toBe(false);
    expect(parts.map((p) => p.scriptText).join('')).toContain("Set-ItemProperty -Path $k -Name 'WindowsUpdateHelper'");
    const module = events.find((e): e is ScriptEvent => e.kind === 'script' && e.eventId === 4103);
    expect(module?.payload).toContain('ParameterBinding(Set-ItemProperty): name="Name"; value="WindowsUpdateHelper"');
    expect(module?.process.pid).toBe(parts[0].process.pid);
    expect(key.records.filter((r) => r.story === 'ps-scriptblock-run' && r.kind === 'script').map((r) => r.eventId)).toEqual([4104, 4104, 4104, 4103]);
  });

  it.each(['evtx', 'xml', 'ndjson'] as const)('cites every PowerShell record and the carrying logon from the findings (%s)', async (format) => {
    const { findings, key } = await analyzeGenerated({ scenario, seed: SEED, format });
    const byValue = (v: string) => findings.find((f) => f.valueName === v);
    const same = (a: { file: string; recordId?: number; line?: number }, b: { file: string; recordId?: number; line?: number }) =>
      a.file.replace(/^.*[\\/]/, '') === b.file.replace(/^.*[\\/]/, '') && (a.recordId !== undefined && b.recordId !== undefined ? a.recordId === b.recordId : a.line === b.line);
    // the script write: its Sysmon 13 finding carries the three 4104 parts and the 4103
    const ps = byValue('WindowsUpdateHelper');
    const psRecords = key.records.filter((r) => r.story === 'ps-scriptblock-run' && r.kind === 'script');
    expect(psRecords).toHaveLength(4);
    for (const r of psRecords) expect(ps?.alsoSeenIn?.some((s) => same(s.ref, r.ref)), `${r.eventId} ${r.ref.recordId ?? r.ref.line}`).toBe(true);
    // Remote Registry: the rule and the 4624 of the key
    const rr = byValue('IntelGraphics');
    const logon = key.records.find((r) => r.story === 'remote-registry-run' && r.kind === 'logon');
    expect(rr?.reasons.some((x) => x.id === 'writer.remote-registry')).toBe(true);
    expect(rr?.correlation.networkLogon && logon && same(rr.correlation.networkLogon.ref, logon.ref)).toBe(true);
    expect(rr?.correlation.networkLogon).toMatchObject({ sourceIp: '10.20.7.41', workstation: 'HELPDESK-07', account: 'CONTOSO\\svc_backup', logonType: 3 });
    // PowerShell remoting
    const wsm = byValue('SvcMonitor');
    expect(wsm?.reasons.some((x) => x.id === 'writer.ps-remoting')).toBe(true);
    expect(wsm?.alsoSeenIn?.some((s) => s.source === 'powershell' && s.eventId === 4104)).toBe(true);
    // the command line no reader follows: the safety net, at medium or above
    const net = findings.find((f) => f.reasons.some((x) => x.id === 'command-line.unread-write'));
    expect(net?.location).toBe('run');
    expect(net && severityRank(net.severity) >= severityRank('medium')).toBe(true);
    expect(net?.reasons.find((x) => x.id === 'command-line.unread-write')?.matched).toContain('CurrentVersion\\Run');
  });
});
