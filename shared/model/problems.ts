// Problems found in evidence are values, never thrown across a stage boundary: a reader collects
// them with the position where they happened and keeps going at the smallest level it can
// (record, then chunk, then file). The set of codes is closed so tests and the UI can rely on it.

export const PROBLEM_CODES = [
  // container / framing
  'BAD_MAGIC', // a file header or chunk signature is wrong
  'BAD_HEADER', // a header field is out of range
  'DIRTY_HEADER', // header says one thing (chunk count, flags) but the file holds more / other
  'BAD_CHECKSUM', // a CRC32 does not match
  'TRUNCATED', // a structure runs past the end of its buffer
  'BAD_FREE_SPACE', // a chunk's free-space offset is wrong
  // EVTX records and binary XML
  'BAD_RECORD', // a record header / size / copy is inconsistent
  'UNKNOWN_TOKEN', // a binary XML token the reader does not know
  'BAD_TEMPLATE', // a template definition or reference cannot be resolved
  'BAD_STRING', // a string table entry or name cannot be read
  'BAD_VALUE', // a substitution value cannot be decoded
  'LOOP', // a self-referencing structure was cut short
  // registry hives (regf)
  'BAD_CELL', // a hive cell offset or size is invalid, or the cell holds another record than its referrer expects
  'LOG_REFUSED', // a transaction log beside a hive is not applied (damaged, another hive's, older than the hive)
  // text formats
  'BAD_XML',
  'BAD_JSON',
  'BAD_CSV_HEADER',
  'BAD_CSV_ROW',
  'BAD_ENCODING',
  'UNKNOWN_FORMAT', // the content is none of the formats we read
  'UNKNOWN_LAYOUT', // the format is known but the fields are not an event layout we know
  'TOO_LARGE', // a single object / field exceeds the reader's limit
  // archives
  'BAD_ARCHIVE',
  'ARCHIVE_LIMIT', // refused: expands past the size / ratio / member limits (zip bomb)
  // host side
  'UNREADABLE', // the file cannot be opened or read
  'CANCELLED',
  'INTERNAL', // a bug: an unexpected exception, caught and counted so other files go on
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** `warning`: part of the input was skipped, the rest was read. `error`: the whole file (or archive member) could not be read. */
export type ProblemLevel = 'warning' | 'error';

export interface Problem {
  code: ProblemCode;
  level: ProblemLevel;
  /** The evidence file as the user gave it. */
  file: string;
  /** Path inside an archive, when the problem is in a member. */
  member?: string;
  /** Byte offset in the file (or member) where the damage starts. */
  offset?: number;
  /** EVTX chunk index (0-based). */
  chunk?: number;
  /** EVTX record id, when known. */
  record?: number;
  /** 1-based line in a text file. */
  line?: number;
  message: string;
}

export function problem(
  code: ProblemCode,
  level: ProblemLevel,
  file: string,
  message: string,
  where: Omit<Problem, 'code' | 'level' | 'file' | 'message'> = {},
): Problem {
  return { code, level, file, message, ...where };
}

/** "file.evtx: chunk 3 at 0x31000: bad chunk magic" — one line naming what and where. */
export function formatProblem(p: Problem): string {
  const where: string[] = [];
  if (p.member) where.push(p.member);
  if (p.chunk !== undefined) where.push(`chunk ${p.chunk}`);
  if (p.record !== undefined) where.push(`record ${p.record}`);
  if (p.line !== undefined) where.push(`line ${p.line}`);
  if (p.offset !== undefined) where.push(`offset 0x${p.offset.toString(16)}`);
  return `${p.file}${where.length ? ': ' + where.join(', ') : ''}: ${p.code}: ${p.message}`;
}

/** Counts of problems per code, for summaries ("3 damaged chunks skipped"). */
export function countByCode(problems: readonly Problem[]): Partial<Record<ProblemCode, number>> {
  const out: Partial<Record<ProblemCode, number>> = {};
  for (const p of problems) out[p.code] = (out[p.code] ?? 0) + 1;
  return out;
}
