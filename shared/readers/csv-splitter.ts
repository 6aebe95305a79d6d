// Cuts decoded CSV text into records (RFC 4180): a newline ends a record unless it is inside a
// quoted field, so quoted fields with embedded newlines stay whole and the next record's line
// number is still right. A quote inside an unquoted field is literal (as papaparse reads it).
// Resumable across chunks; memory is one record. A record over the limit is skipped (TOO_LARGE);
// an unterminated quoted field at the end is reported by the reader. A field longer than the value
// limit keeps its first characters (a quoted one its opening quote, whole "" pairs and a closing
// quote, so the record still splits into the same fields) and the rest is skipped as it is
// scanned; the record carries the cut (CsvRecord.cuts) for the reader's TOO_LARGE warning. Field
// lengths are checked where a field ends and at each chunk end, so one kept field never holds more
// than the limit plus one chunk.

import type { ValueCut } from './reader-kit';

export interface CsvValueCut extends ValueCut {
  /** 0-based position of the field in its record. */
  field: number;
}

export interface CsvRecord {
  /** The record's text without its line terminator. */
  text: string;
  /** 1-based line where the record starts. */
  line: number;
  /** Fields cut at the value limit, in order. */
  cuts?: CsvValueCut[];
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
  // the field being scanned: its position in the record, where it starts in the record's kept text
  private fieldIndex = 0;
  private fieldStart = 0;
  private fieldLine = 1;
  private quoted = false;
  /** The field being cut: set from its cut to its end, while its rest is skipped. */
  private fieldCut: CsvValueCut | undefined;
  private cuts: CsvValueCut[] = [];

  constructor(
    delimiter: string,
    private readonly maxRecordChars: number,
    private readonly maxValueChars = Number.MAX_SAFE_INTEGER,
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
        else if (end === from && !this.fieldCut) this.dropTrailingCr(); // the CR of a CRLF ended the previous chunk
        this.append(s, from, end);
        this.closeField();
        this.emit(rec, tooLarge);
        this.line++;
        this.fieldLine = this.line;
        p++;
        from = p;
        this.state = S.FieldStart;
        continue;
      }
      if (c === d) {
        if (this.fieldCut || this.chars + (p - from) - this.fieldStart - (this.quoted ? 2 : 0) > this.maxValueChars) {
          this.append(s, from, p);
          from = p;
          this.closeField();
        }
        this.state = S.FieldStart;
        this.fieldIndex++;
        this.fieldStart = this.chars + (p + 1 - from);
        this.fieldLine = this.line;
        this.quoted = false;
      } else if (c === 0x22 && this.state === S.FieldStart) {
        this.state = S.Quoted;
        this.quoted = true;
      } else if (this.state === S.FieldStart) this.state = S.Unquoted;
      p++;
    }
    this.append(s, from, len);
    if (this.fieldCut || this.skipping) return;
    // a field still open: what it holds for sure (a last quote may be its closing one)
    const held = this.chars - this.fieldStart - (this.quoted ? (this.state === S.Quoted ? 1 : 2) : 0);
    if (held > this.maxValueChars) this.fieldCut = this.cutField(held);
  }

  /** Ends the input: a last record without a newline is emitted; true when it ended inside quotes. */
  end(rec: (r: CsvRecord) => void, tooLarge: (line: number) => void): { unterminatedAt?: number } {
    const unterminated = this.state === S.Quoted;
    const at = this.recLine;
    if (this.chars > 0 || this.skipping) {
      // a trailing "\r" of a file ending with CRLF-less text
      if (!this.fieldCut) this.dropTrailingCr();
      if (unterminated) {
        this.pieces = [];
        this.chars = 0;
        this.skipping = false;
        this.fieldCut = undefined;
        this.cuts = [];
      } else {
        this.closeField();
        this.emit(rec, tooLarge);
      }
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
    if (this.fieldCut) {
      this.fieldCut.chars += to - from;
      return;
    }
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
    else {
      const r: CsvRecord = { text: this.pieces.length === 1 ? this.pieces[0] : this.pieces.join(''), line: this.recLine };
      if (this.cuts.length > 0) r.cuts = this.cuts;
      rec(r);
    }
    this.pieces = [];
    this.chars = 0;
    this.skipping = false;
    this.recLine = this.line + 1;
    this.fieldIndex = 0;
    this.fieldStart = 0;
    this.quoted = false;
    this.fieldCut = undefined;
    this.cuts = [];
  }

  /** The field ends where the record's kept text ends: records its cut, or cuts it when it is too long. */
  private closeField(): void {
    if (this.fieldCut) {
      if (this.quoted) this.fieldCut.chars--; // its closing quote was counted with the rest
      this.cuts.push(this.fieldCut);
      this.fieldCut = undefined;
      return;
    }
    if (this.skipping) return;
    const chars = this.chars - this.fieldStart - (this.quoted ? 2 : 0);
    if (chars > this.maxValueChars) this.cuts.push(this.cutField(chars));
  }

  /** Cuts the field (whose text ends the pieces) to the value limit; `chars` is its length so far. */
  private cutField(chars: number): CsvValueCut {
    const contentAt = this.fieldStart + (this.quoted ? 1 : 0);
    this.trimTo(contentAt + this.maxValueChars);
    if (this.quoted) {
      // inside quotes quotes come in "" pairs: an odd run at the end is a pair cut in two
      let run = 0;
      for (let k = this.pieces.length - 1, left = this.chars - contentAt; k >= 0 && left > 0; k--) {
        const piece = this.pieces[k];
        let i = piece.length - 1;
        while (i >= 0 && left > 0 && piece.charCodeAt(i) === 0x22) {
          run++;
          left--;
          i--;
        }
        if (i >= 0) break;
      }
      if (run % 2 === 1) this.trimTo(this.chars - 1);
    }
    const lastPiece = this.pieces[this.pieces.length - 1];
    const last = lastPiece ? lastPiece.charCodeAt(lastPiece.length - 1) : 0;
    if (this.chars > contentAt && last >= 0xd800 && last <= 0xdbff) this.trimTo(this.chars - 1);
    if (this.quoted) {
      this.pieces.push('"');
      this.chars++;
    }
    return { field: this.fieldIndex, line: this.fieldLine, chars };
  }

  /** Drops kept text from the end of the record until it holds n characters. */
  private trimTo(n: number): void {
    while (this.chars > n && this.pieces.length > 0) {
      const i = this.pieces.length - 1;
      const piece = this.pieces[i];
      const over = this.chars - n;
      if (piece.length <= over) {
        this.pieces.pop();
        this.chars -= piece.length;
      } else {
        this.pieces[i] = piece.slice(0, piece.length - over);
        this.chars = n;
      }
    }
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
