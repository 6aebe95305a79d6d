// The answer key written beside generated evidence: every record that belongs to an attack story
// (with its role in the chain, ATT&CK ids and the severity the engine must reach), every benign
// autostart write (which the engine must keep at 'low' or below, or baseline), and the near-miss
// writes that must not become findings. Records are identified the way readers cite them
// (RawEvent.ref): file + EventRecordID for EVTX / XML, file + 1-based line for NDJSON / CSV.

import type { Severity } from '../model/finding';
import type { EventKind } from '../model/events';
import type { StoryRole } from './model';

/** Roles whose records a finding of the story must link from its correlation (they carry no severity). */
export const CHAIN_CONTEXT_ROLES: readonly StoryRole[] = ['writer-process', 'chain-context'];

/** 2: minimum severities only on persistence records; 'chain-context' and 'delivery' roles. */
export const ANSWER_KEY_VERSION = 2;
export const ANSWER_KEY_FILE = 'answer-key.json';

export interface AnswerRecordRef {
  /** File name inside the output folder. */
  file: string;
  format: 'evtx' | 'xml' | 'ndjson' | 'csv';
  /** EventRecordID (EVTX, XML). */
  recordId?: number;
  /** 1-based line where the record starts (NDJSON, CSV, and the XML line of <Event>). */
  line?: number;
  /** Byte offset of the EVTX record in the file. */
  offset?: number;
  channel?: string;
  /** Defender table for CSV output. */
  table?: string;
}

/** What the record says, in canonical spellings (registry paths as HKLM\ / HKU\<SID>\). */
export interface AnswerFields {
  registryKey?: string;
  valueName?: string;
  details?: string;
  targetFilename?: string;
  image?: string;
  commandLine?: string;
  parentImage?: string;
  user?: string;
}

export interface AnswerRecord {
  /** Story id ('appdata-reg-add' ...), 'benign:<product>' or 'near-miss'. */
  story: string;
  title: string;
  role: StoryRole;
  malicious: boolean;
  host: string;
  time: string;
  kind: EventKind;
  /** 'set-value' | 'create-key' | 'delete-value' | 'rename-key' | 'create' (file) | 'start' (process). */
  action: string;
  eventId?: number;
  techniques: string[];
  /** Persistence records only: the engine must rate at least this (primary or corroborating evidence). */
  minSeverity?: Severity;
  /** Benign and near-miss records: the engine must rate at most this (or baseline it). */
  maxSeverity?: Severity;
  ref: AnswerRecordRef;
  fields: AnswerFields;
}

export interface AnswerKey {
  version: number;
  generator: string;
  scenario: string;
  seed: number;
  format: AnswerRecordRef['format'];
  /** The command that reproduces this output. */
  command: string;
  span: { start: string; end: string };
  hosts: { name: string; fqdn: string; logging: string; users: { name: string; sid: string }[] }[];
  files: { file: string; records: number; bytes: number }[];
  stories: { id: string; title: string; host: string; techniques: string[] }[];
  /** Record counts in the key: attack records and benign / near-miss records. */
  summary: { malicious: number; benign: number };
  /** In the file: every record (written first, as the generator goes, so memory stays bounded). */
  records: AnswerRecord[];
}
