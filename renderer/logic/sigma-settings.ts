// What the Settings view says about the Sigma rules folder: the chosen folder, what was loaded from
// it for the last case opened (rules apply to cases opened after the folder is set), or the error.
// Pure, so it is tested without a DOM.

import type { Settings } from '../../shared/api';
import type { Reason } from '../../shared/model/finding';
import { plural } from './format';

export interface SigmaStatusView {
  /** One line for the status: what is loaded, or why not. */
  text: string;
  /** The line describes an error (the folder could not be read). */
  error: boolean;
  /** The folder set now differs from what the open case was read with: the next case uses it. */
  pending: boolean;
}

export function sigmaStatusView(settings: Settings | null): SigmaStatusView {
  if (!settings) return { text: 'Loading settings…', error: false, pending: false };
  const folder = settings.sigmaRulesFolder;
  const st = settings.sigmaStatus;
  if (!folder) {
    return st
      ? { text: 'No Sigma rules folder. The open case was read with one; cases opened from now on run no Sigma rules.', error: false, pending: true }
      : { text: 'No Sigma rules folder: only RunKey Hunter\'s own indicators are applied.', error: false, pending: false };
  }
  if (!st || st.folder !== folder) {
    return { text: `Not loaded yet: the rules in ${folder} are read when the next case is opened.`, error: false, pending: true };
  }
  if (st.error) return { text: `Could not load the rules from ${st.folder}: ${st.error}`, error: true, pending: false };
  const parts = [`${plural(st.rules, 'rule')} loaded`];
  if (st.unsupported > 0) parts.push(`${plural(st.unsupported, 'rule')} not supported`);
  if (st.skippedFiles > 0) parts.push(`${plural(st.skippedFiles, 'file')} skipped`);
  return { text: `${parts.join(', ')}, from ${st.folder}`, error: false, pending: false };
}

const SIGMA_PREFIX = 'sigma:';
const TITLE_PREFIX = 'Sigma: ';

export function isSigmaReason(r: Reason): boolean {
  return r.id.startsWith(SIGMA_PREFIX);
}

/** A Sigma reason's label parts: the rule title (without the "Sigma: " prefix) and the rule id. */
export function sigmaReasonLabel(r: Reason): { title: string; ruleId: string } | undefined {
  if (!isSigmaReason(r)) return undefined;
  const title = r.title.startsWith(TITLE_PREFIX) ? r.title.slice(TITLE_PREFIX.length) : r.title;
  return { title, ruleId: r.id.slice(SIGMA_PREFIX.length) };
}

