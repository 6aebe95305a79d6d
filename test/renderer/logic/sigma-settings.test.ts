import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../shared/api';
import { sigmaReason } from '../../../shared/sigma/findings';
import { isSigmaReason, sigmaReasonLabel, sigmaStatusView } from '../../../renderer/logic/sigma-settings';

const base: Settings = { sigmaRulesFolder: null, workers: 0 };

describe('sigmaStatusView', () => {
  it('says only our own indicators apply when no folder is set', () => {
    const v = sigmaStatusView(base);
    expect(v.text).toMatch(/No Sigma rules folder/);
    expect(v.pending).toBe(false);
    expect(v.error).toBe(false);
  });

  it('counts loaded, unsupported and skipped with thousands separators', () => {
    const v = sigmaStatusView({ ...base, sigmaRulesFolder: '/rules', sigmaStatus: { folder: '/rules', rules: 1687, unsupported: 150, skippedFiles: 0 } });
    expect(v.text).toBe('1,687 rules loaded, 150 rules not supported, from /rules');
    expect(v.pending).toBe(false);
  });

  it('names skipped files and a single rule in the singular', () => {
    const v = sigmaStatusView({ ...base, sigmaRulesFolder: '/r', sigmaStatus: { folder: '/r', rules: 1, unsupported: 0, skippedFiles: 2 } });
    expect(v.text).toBe('1 rule loaded, 2 files skipped, from /r');
  });

  it('shows the load error of the folder', () => {
    const v = sigmaStatusView({ ...base, sigmaRulesFolder: '/gone', sigmaStatus: { folder: '/gone', rules: 0, unsupported: 0, skippedFiles: 0, error: 'ENOENT' } });
    expect(v.error).toBe(true);
    expect(v.text).toContain('/gone');
    expect(v.text).toContain('ENOENT');
  });

  it('marks a folder set after the case was opened as applying to the next case', () => {
    const v = sigmaStatusView({ ...base, sigmaRulesFolder: '/new', sigmaStatus: { folder: '/old', rules: 3, unsupported: 0, skippedFiles: 0 } });
    expect(v.pending).toBe(true);
    expect(v.text).toContain('/new');
    expect(v.text).toMatch(/next case/);
    expect(sigmaStatusView({ ...base, sigmaRulesFolder: '/new' }).pending).toBe(true);
  });

  it('marks a cleared folder as pending while the open case was read with rules', () => {
    const v = sigmaStatusView({ ...base, sigmaStatus: { folder: '/old', rules: 3, unsupported: 0, skippedFiles: 0 } });
    expect(v.pending).toBe(true);
  });
});

describe('sigmaReasonLabel', () => {
  const reason = sigmaReason({ id: '1b2c3d4e-0000-4000-8000-000000000001', title: 'Run Key Points Into AppData', level: 'high', tags: ['attack.t1547.001'], path: 'r.yml', line: 1 });

  it('splits the engine reason of a Sigma hit into rule title and rule id', () => {
    expect(isSigmaReason(reason)).toBe(true);
    expect(sigmaReasonLabel(reason)).toEqual({ title: 'Run Key Points Into AppData', ruleId: '1b2c3d4e-0000-4000-8000-000000000001' });
  });

  it('leaves our own indicators alone', () => {
    const own = { ...reason, id: 'path.user-writable', title: 'User-writable path' };
    expect(isSigmaReason(own)).toBe(false);
    expect(sigmaReasonLabel(own)).toBeUndefined();
  });
});
