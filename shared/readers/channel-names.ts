// Some exporters lower-case channel names (OTRF Security-Datasets has "security" beside
// "Security"). Known channels get their canonical spelling; others are kept as written.

import { SECURITY_CHANNEL, SYSMON_CHANNEL } from '../model/event-schemas';

const KNOWN_CHANNELS: readonly string[] = [
  SECURITY_CHANNEL,
  SYSMON_CHANNEL,
  'System',
  'Application',
  'Setup',
  'ForwardedEvents',
  'Windows PowerShell',
  'Microsoft-Windows-PowerShell/Operational',
  'Microsoft-Windows-WMI-Activity/Operational',
  'Microsoft-Windows-TaskScheduler/Operational',
  'Microsoft-Windows-Windows Defender/Operational',
  'Microsoft-Windows-Bits-Client/Operational',
  'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
  'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall',
  'Microsoft-Windows-DNS-Client/Operational',
  'Microsoft-Windows-CodeIntegrity/Operational',
];

const BY_LOWER = new Map(KNOWN_CHANNELS.map((c) => [c.toLowerCase(), c]));

export function canonicalChannel(name: string): string {
  const t = name.trim();
  return BY_LOWER.get(t.toLowerCase()) ?? t;
}
