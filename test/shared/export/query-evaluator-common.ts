// What the SPL and KQL evaluators share: the event record they run on, their closed set of error
// codes (errors are QueryError values, asserted by code), and a token cursor.

export type EventRecord = Readonly<Record<string, string>>;

export type QueryErrorCode =
  | 'RAW_CONTROL_IN_STRING' | 'UNTERMINATED_STRING' | 'BAD_ESCAPE' | 'BACKTICK' | 'DOLLAR'
  | 'REGEX_NOT_LITERAL' | 'UNEXPECTED_TOKEN' | 'UNSUPPORTED_COMMAND';

export class QueryError extends Error {
  constructor(readonly code: QueryErrorCode, message: string) {
    super(`${code}: ${message}`);
  }
}

export type Predicate = (r: EventRecord) => boolean;

export const lower = (s: string) => s.toLowerCase();

export class Cursor<T extends { kind: string; text: string }> {
  private i = 0;
  constructor(private readonly toks: readonly T[]) {}
  peek(): T { return this.toks[this.i]; }
  next(): T { return this.toks[this.i++]; }
  is(text: string, kind?: string): boolean { const t = this.peek(); return t.text === text && (kind === undefined || t.kind === kind); }
  expect(text: string): T {
    const t = this.next();
    if (t.text !== text || t.kind === 'string') throw new QueryError('UNEXPECTED_TOKEN', `expected ${text}, got ${t.kind} ${JSON.stringify(t.text)}`);
    return t;
  }
  take(kind: string): T {
    const t = this.next();
    if (t.kind !== kind) throw new QueryError('UNEXPECTED_TOKEN', `expected a ${kind}, got ${t.kind} ${JSON.stringify(t.text)}`);
    return t;
  }
}

