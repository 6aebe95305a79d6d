// refuseOutput judges an output path by what it is: the code says why it was refused.
import { linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs } from '../../../electron/io/expand-inputs';
import { refuseOutput } from '../../../electron/io/output-target';

function tree() {
  const root = mkdtempSync(join(tmpdir(), 'rkh-target-'));
  const ev = join(root, 'case');
  mkdirSync(join(ev, 'deep'), { recursive: true });
  writeFileSync(join(ev, 'deep', 'a.evtx'), 'evidence');
  const out = join(root, 'out');
  mkdirSync(out);
  return { root, ev, out, file: join(ev, 'deep', 'a.evtx') };
}

describe('refuseOutput', () => {
  it('refuses the evidence under another name: a symlink, a hard link, a path through ..', async () => {
    const t = tree();
    const set = await expandInputs([t.ev]);
    symlinkSync(t.file, join(t.out, 'sym'));
    linkSync(t.file, join(t.out, 'hard'));
    expect(await refuseOutput(join(t.out, 'sym'), set)).toEqual({ code: 'OUT_IS_EVIDENCE', evidence: t.file });
    expect(await refuseOutput(join(t.out, 'hard'), set)).toEqual({ code: 'OUT_IS_EVIDENCE', evidence: t.file });
    expect(await refuseOutput(t.ev, set)).toMatchObject({ code: 'OUT_IS_EVIDENCE' });
  });

  it('refuses a new file anywhere under an evidence folder, not beside it', async () => {
    const t = tree();
    const set = await expandInputs([t.ev]);
    expect(await refuseOutput(join(t.ev, 'deep', 'new.json'), set)).toEqual({ code: 'OUT_IN_EVIDENCE_FOLDER', evidence: t.ev });
    expect(await refuseOutput(join(t.ev, 'new.json'), set)).toEqual({ code: 'OUT_IN_EVIDENCE_FOLDER', evidence: t.ev });
    // a sibling whose name starts like the evidence folder's is not inside it
    mkdirSync(`${t.ev}2`);
    expect(await refuseOutput(join(`${t.ev}2`, 'r.json'), set)).toBeUndefined();
    expect(await refuseOutput(join(t.root, 'r.json'), set)).toBeUndefined();
  });

  it('allows a file beside an evidence file given alone, and refuses a folder that does not exist', async () => {
    const t = tree();
    const set = await expandInputs([t.file]);
    expect(await refuseOutput(join(t.ev, 'deep', 'report.json'), set)).toBeUndefined();
    expect(await refuseOutput(join(t.root, 'missing', 'r.json'), set)).toEqual({ code: 'OUT_FOLDER_UNREADABLE', reason: 'ENOENT' });
    expect(await refuseOutput(t.out, set)).toEqual({ code: 'OUT_IS_FOLDER' });
  });
});
