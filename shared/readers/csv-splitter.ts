// Cuts decoded CSV text into records (RFC 4180): a newline ends a record unless it is inside a
// quoted field, so quoted fields with embedded newlines stay whole and the next record's line
// number is still right. A quote inside an unquoted field is literal (as papaparse reads it).
// Resumable across chunks; memory is one record. A record over the limit is skipped (TOO_LARGE);
// an unterminated quoted field at the end is reported by the reader.

export interface CsvRecord {
  /** The record's text without its line terminator. */
  text: string;
  /** 1-based line where the record starts. */
  line: number;
}

const enum S {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

export class CsvRecordSplitter {
  private state = S.FieldStart;
  private line = 1;
  private recLine = 1;
  private pieces: string[] = [];
  private chars = 0;
  private skipping = false;
  private readonly delim: number;

  constructor(
    delimiter: string,
    private readonly maxRecordChars: number,
  ) {
    this.delim = delimiter.charCodeAt(0);
  }

  /** Calls `rec` for each complete record, `tooLarge` for each one skipped. */
  push(s: string, rec: (r: CsvRecord) => void, tooLarge: (line: number) => void): void {
    let from = 0;
    let p = 0;
    const len = s.length;
    const d = this.delim;
    while (p < len) {
      if (this.state === S.Quoted) {
        const j = s.indexOf('"', p);
        const stop = j < 0 ? len : j;
        for (let k = s.indexOf('\n', p); k >= 0 && k < stop; k = s.indexOf('\n', k + 1)) this.line++;
        if (j < 0) break;
        this.state = S.QuoteInQuoted;
        p = j + 1;
        continue;
      }
      const c = s.charCodeAt(p);
      if (this.state === S.QuoteInQuoted) {
        if (c === 0x22) {
          this.state = S.Quoted; // "" is an escaped quote
          p++;
          continue;
        }
        this.state = S.Unquoted; // the quoted part ended; anything after it belongs to the field
      }
      if (c === 0x0a) {
        let end = p;
        if (end > from && s.charCodeAt(end - 1) === 0x0d) end--;
        else if (end === from) this.dropTrailingCr(); // the CR of a CRLF ended the previous chunk
        this.append(s, from, end);
        this.emit(rec, tooLarge);
        this.line++;
        p++;
        from = p;
        this.state = S.FieldStart;
        continue;
      }
      if (c === d) this.state = S.FieldStart;
      else if (c === 0x22 && this.state === S.FieldStart) this.state = S.Quoted;
      else if (this.state === S.FieldStart) this.state = S.Unquoted;
      p++;
    }
    this.append(s, from, len);
  }

  /** Ends the input: a last record without a newline is emitted; true when it ended inside quotes. */
  end(rec: (r: CsvRecord) => void, tooLarge: (line: number) => void): { unterminatedAt?: number } {
    const unterminated = this.state === S.Quoted;
    const at = this.recLine;
    if (this.chars > 0 || this.skipping) {
      // a trailing "\r" of a file ending with CRLF-less text
      const last = this.pieces[this.pieces.length - 1];
      if (last && last.endsWith('\r')) this.pieces[this.pieces.length - 1] = last.slice(0, -1);
      if (unterminated) {
        this.pieces = [];
        this.chars = 0;
        this.skipping = false;
      } else this.emit(rec, tooLarge);
    }
    return unterminated ? { unterminatedAt: at } : {};
  }

  private dropTrailingCr(): void {
    const i = this.pieces.length - 1;
    if (i >= 0 && this.pieces[i].endsWith('\r')) {
      this.pieces[i] = this.pieces[i].slice(0, -1);
      this.chars--;
    }
  }

  private append(s: string, from: number, to: number): void {
    if (to <= from) return;
    this.chars += to - from;
    if (this.skipping) return;
    if (this.chars > this.maxRecordChars) {
      this.skipping = true;
      this.pieces = [];
      return;
    }
    this.pieces.push(s.slice(from, to));
  }

  private emit(rec: (r: CsvRecord) => void, tooLarge: (line: number) => void): void {
    if (this.skipping) tooLarge(this.recLine);
    else rec({ text: this.pieces.length === 1 ? this.pieces[0] : this.pieces.join(''), line: this.recLine });
    this.pieces = [];
    this.chars = 0;
    this.skipping = false;
    this.recLine = this.line + 1;
  }
}

/**
 * The fields of one record (RFC 4180: "" inside quotes is a quote), found with indexOf. Returns
 * undefined for what RFC 4180 does not define (text after a closing quote, an unterminated quote)
 * so the caller lets papaparse decide exactly as before.
 */
export function splitCsvFields(s: string, delimiter: string): string[] | undefined {
  const d = delimiter.charCodeAt(0);
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  for (;;) {
    if (i < n && s.charCodeAt(i) === 0x22) {
      let j = i + 1;
      let doubled = false;
      let close = -1;
      while (close < 0) {
        const q = s.indexOf('"', j);
        if (q < 0) return undefined;
        if (s.charCodeAt(q + 1) === 0x22) {
          doubled = true;
          j = q + 2;
        } else close = q;
      }
      const v = s.slice(i + 1, close);
      out.push(doubled ? v.replace(/""/g, '"') : v);
      i = close + 1;
      if (i === n) return out;
      if (s.charCodeAt(i) !== d) return undefined;
      i++;
    } else {
      const k = s.indexOf(delimiter, i);
      if (k < 0) {
        out.push(s.slice(i));
        return out;
      }
      out.push(s.slice(i, k));
      i = k + 1;
    }
    if (i === n) {
      out.push('');
      return out;
    }
  }
}
