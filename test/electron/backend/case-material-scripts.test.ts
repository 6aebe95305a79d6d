// The app's case keeps what PowerShell logs and logons add to the correlation index (issue #19):
// a 4104 block whose parts came in different worker batches is still joined, and a Remote
// Registry write still finds its 4624 logon, after the backend appends the batches.

import { describe, expect, it } from 'vitest';
import { CaseMaterial, analyzeCaseMaterial } from '../../../electron/backend/case-analysis';
import { createWorkerStage } from '../../../electron/workers/engine-stage';
import type { RawEvent } from '../../../shared/model/raw-event';

const PS = { provider: 'Microsoft-Windows-PowerShell', channel: 'Microsoft-Windows-PowerShell/Operational', computer: 'WS1', processId: 5120 };
const TEXT = "$k = 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'\r\nSet-ItemProperty -Path $k -Name Sync -Value 'C:\\Users\\Public\\sync.exe'";

function part(n: number, text: string): RawEvent {
  return {
    ref: { file: 'ps.json', format: 'json', line: n }, layout: 'flat',
    system: { ...PS, eventId: 4104, timeCreated: `2024-01-10T12:00:0${n}Z`, recordId: 10 + n },
    data: { MessageNumber: String(n), MessageTotal: '2', ScriptBlockId: '{b}', ScriptBlockText: text },
  };
}

describe('CaseMaterial with PowerShell parts and logons', () => {
  it('joins a block whose two parts came in separate worker batches', () => {
    const material = new CaseMaterial();
    const cut = TEXT.indexOf('ItemProperty');
    for (const raw of [part(2, TEXT.slice(cut)), part(1, TEXT.slice(0, cut))]) {
      const stage = createWorkerStage();
      stage.add([raw]);
      const b = stage.take();
      if (!b) throw new Error('no batch');
      material.candidates.push(...b.candidates);
      material.addIndex(b.index, b.processes);
    }
    material.seal();
    const fs = analyzeCaseMaterial(material, []);
    expect(fs.map((f) => [f.basis, f.valueName, f.alsoSeenIn?.length])).toEqual([['script', 'Sync', 1]]);
  });
});
