// Splits decoded JSON text into top-level items without parsing it whole: the elements of a
// top-level array, NDJSON lines, or pretty-printed objects written back to back (SigmaHQ regression
// files). A resumable scanner tracks nesting and strings (escapes may straddle chunks), so memory is
// one item plus one chunk. An item above the limit (a 100 MB string) is scanned to its end without
// being kept and reported TOO_LARGE. In NDJSON input (first item on one line) a line that ends
// inside an item is reported BAD_JSON and the scanner resynchronises on the next line.
// A whole Elasticsearch / OpenSearch search response ({"took":…,"hits":{"total":…,"hits":[…]}}) is
// not one item: the scanner follows the keys of a top-level object down two levels, and when
// "hits"."hits" opens an array its elements become the items (the envelope around them is
// skipped), so a response of any size streams hit by hit.
// A string inside an item longer than the value limit keeps its first characters (never cut inside
// an escape or a surrogate pair) and the rest is skipped as it is scanned, so the item stays valid
// JSON whatever the string's size; the item carries the cut (JsonItem.cuts) for the reader's
// TOO_LARGE warning. A string that is the item itself is no event value: the item limit skips it.

import type { ValueCut } from './reader-kit';

export interface JsonValueCut extends ValueCut {
  /** Position of the string's opening quote in the item's text (to name its key). */
  at: number;
}

export interface JsonItem {
  text: string;
  /** 1-based line where the item starts. */
  line: number;
  /** 0-based position in the enclosing array (a top-level array, or the hits of a search response). */
  index?: number;
  /** Strings cut at the value limit, in order. */
  cuts?: JsonValueCut[];
}

export interface JsonSplitProblem {
  code: 'BAD_JSON' | 'TOO_LARGE';
  line: number;
  message: string;
  /** Problems about stray text are repeated; the reader reports the first few only. */
  repeatable?: boolean;
}

export interface JsonSplitSink {
  item(i: JsonItem): void;
  problem(p: JsonSplitProblem): void;
}

const WS = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export class JsonItemSplitter {
  private line = 1;
  /** Nesting depth of the current item (0 = between items). */
  private depth = 0;
  private inString = false;
  private escapePending = false;
  /** Inside a top-level array whose elements are the items. */
  private inTopArray = false;
  private inItem = false;
  private itemLine = 0;
  private itemStartLine = 0;
  private pieces: string[] = [];
  private itemChars = 0;
  private skipping = false;
  private straying = false;
  private firstItemDone = false;
  private ndjson = false;
  /** Index of the last item begun in the current array. */
  private arrayIndex = -1;
  // Search-response envelope: key tracking in a top-level object (depth 1 and 2), then the hits.
  private keyTrack = false;
  private expectKey = false;
  /** The key being read (a string at depth 1 or 2 in key position), or null. */
  private keyText: string | null = null;
  private key1 = '';
  private key2 = '';
  private objAt2 = false;
  /** Inside the "hits"."hits" array of a search response: its elements are the items. */
  private inHits = false;
  /** After that array: the rest of the response, skipped. */
  private envelopeTail = false;
  // the string being scanned: its characters in earlier chunks, its opening quote in the item
  private strBefore = 0;
  private strOpenAt = 0;
  /** The string being cut: set from its cut to its closing quote, while its rest is skipped. */
  private strCut: JsonValueCut | undefined;
  private cuts: JsonValueCut[] = [];
  itemsFound = 0;
  /** Search responses whose hits were read. */
  responsesFound = 0;

  constructor(
    private readonly maxItemChars: number,
    private readonly maxValueChars = Number.MAX_SAFE_INTEGER,
  ) {}

  push(s: string, sink: JsonSplitSink): void {
    let p = 0;
    let itemFrom = this.inItem && !this.strCut ? 0 : -1;
    let keyFrom = this.keyText !== null ? 0 : -1;
    const len = s.length;
    // where the current string's characters start in this chunk
    let cs = 0;
    // next newline at or after p in NDJSON mode (-2: not looked up yet, -1: none left in this chunk)
    let nextNl = -2;
    const keep = (to: number) => {
      if (!this.inItem || itemFrom < 0) return;
      if (!this.skipping) {
        this.pieces.push(s.slice(itemFrom, to));
        this.itemChars += to - itemFrom;
      }
      itemFrom = to;
    };
    const openString = (at: number) => {
      this.inString = true;
      cs = at + 1;
      this.strBefore = 0;
      this.strOpenAt = this.itemChars + (at - itemFrom);
    };
    // the string read so far ends at `to` (its closing quote when `closed`): cut it past the value limit
    const stringUpTo = (to: number, closed: boolean) => {
      if (this.depth === 0 || this.skipping || !this.inItem) return;
      const total = this.strBefore + (to - cs);
      this.strBefore = total;
      let cut = this.strCut;
      if (cut) cut.chars = total;
      else if (total > this.maxValueChars) {
        keep(cs + this.maxValueChars - (total - (to - cs)));
        this.keepSafePrefixOfString();
        cut = { line: this.line, chars: total, at: this.strOpenAt };
      } else return;
      if (closed) {
        this.cuts.push(cut);
        this.strCut = undefined;
        itemFrom = to;
      } else {
        this.strCut = cut;
        itemFrom = -1;
      }
    };
    const brokenLine = (at: number) => {
      // NDJSON: the line ended inside an item
      sink.problem({ code: 'BAD_JSON', line: this.itemLine, message: 'the line ends inside a JSON value (truncated or broken line)' });
      this.resetItem();
      this.inString = false;
      this.escapePending = false;
      itemFrom = -1;
      this.line++;
      return at + 1;
    };
    while (p < len) {
      if (this.inString) {
        if (this.escapePending) {
          this.escapePending = false;
          p++;
          continue;
        }
        const j = s.indexOf('"', p);
        if (this.ndjson && (nextNl === -2 || (nextNl >= 0 && nextNl < p))) nextNl = s.indexOf('\n', p);
        if (this.ndjson && nextNl >= 0 && (j < 0 || nextNl < j)) {
          p = brokenLine(nextNl);
          continue;
        }
        if (j < 0) {
          // trailing backslashes: an odd run escapes the first character of the next chunk
          let k = len - 1;
          while (k >= p && s.charCodeAt(k) === 0x5c) k--;
          this.escapePending = (len - 1 - k) % 2 === 1;
          if (keyFrom >= 0) this.keyPart(s.slice(keyFrom, len));
          stringUpTo(len, false);
          p = len;
          break;
        }
        let k = j - 1;
        while (k >= p && s.charCodeAt(k) === 0x5c) k--;
        p = j + 1;
        if ((j - 1 - k) % 2 === 1) continue; // an escaped quote
        this.inString = false;
        stringUpTo(j, true);
        if (keyFrom >= 0) {
          this.keyPart(s.slice(keyFrom, j));
          keyFrom = -1;
          if (this.keyText !== null) {
            if (this.depth === 1) this.key1 = this.keyText;
            else this.key2 = this.keyText;
          }
          this.keyText = null;
        }
        if (this.depth === 0) this.endItem(sink, () => keep(p));
        continue;
      }
      const c = s.charCodeAt(p);
      if (c === 0x0a) {
        if (this.ndjson && this.inItem) {
          keep(p);
          p = brokenLine(p);
          continue;
        }
        this.line++;
        p++;
        continue;
      }
      if (WS(c)) {
        p++;
        continue;
      }
      if (!this.inItem) {
        const inArray = this.inTopArray || this.inHits;
        if (c === 0x7b || c === 0x22 || (c === 0x5b && inArray)) {
          this.beginItem(c === 0x7b && !inArray);
          itemFrom = p;
          if (c === 0x22) openString(p);
          else this.depth = 1;
          p++;
          continue;
        }
        if (c === 0x5b && !inArray) {
          this.inTopArray = true;
          this.arrayIndex = -1;
          this.straying = false;
          p++;
          continue;
        }
        if (c === 0x5d && this.inHits) {
          // the hits are read; skip the rest of the response (aggregations, closing braces)
          this.inHits = false;
          this.beginTail();
          itemFrom = -1;
          p++;
          continue;
        }
        if (c === 0x5d && this.inTopArray) {
          this.inTopArray = false;
          p++;
          continue;
        }
        if (c === 0x2c && inArray) {
          p++;
          continue;
        }
        if (!this.straying) {
          this.straying = true;
          sink.problem({ code: 'BAD_JSON', line: this.line, message: `unexpected '${String.fromCharCode(c)}' between JSON values: skipped`, repeatable: true });
        }
        p++;
        continue;
      }
      // inside an object / array item
      if (this.keyTrack && this.depth <= 2) {
        // follow the keys of a top-level object: {"hits": {"hits": [ opens a search response's hits
        if (c === 0x22) {
          if (this.expectKey && (this.depth === 1 || (this.objAt2 && this.key1 === 'hits'))) {
            this.keyText = '';
            keyFrom = p + 1;
          }
          openString(p);
          p++;
          continue;
        }
        if (c === 0x3a) this.expectKey = false;
        else if (c === 0x2c) this.expectKey = true;
        else if (c === 0x7b || c === 0x5b) {
          if (c === 0x5b && this.depth === 2 && this.objAt2 && this.key1 === 'hits' && this.key2 === 'hits' && !this.expectKey) {
            // the envelope read so far (took, _shards, total ...) is dropped; the hits follow
            this.resetItem();
            this.inHits = true;
            this.arrayIndex = -1;
            this.responsesFound++;
            itemFrom = -1;
            p++;
            continue;
          }
          if (this.depth === 1) {
            this.objAt2 = c === 0x7b;
            this.key2 = '';
          }
          this.expectKey = c === 0x7b;
        }
      }
      if (c === 0x22) openString(p);
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          p++;
          this.endItem(sink, () => keep(p));
          continue;
        }
      }
      p++;
    }
    keep(len);
    if (this.inItem && !this.skipping && this.itemChars > this.maxItemChars) this.startSkipping(sink);
  }

  end(sink: JsonSplitSink): void {
    if (this.envelopeTail || this.inHits) {
      sink.problem({ code: 'BAD_JSON', line: this.line, message: 'the input ends inside the search response (truncated)' });
      this.resetItem();
      this.inHits = false;
      return;
    }
    if (this.inItem) {
      if (!this.skipping) sink.problem({ code: 'BAD_JSON', line: this.itemLine, message: 'the input ends inside a JSON value (truncated)' });
      else sink.problem({ code: 'TOO_LARGE', line: this.itemLine, message: `JSON value larger than ${this.maxItemChars} characters, and truncated` });
      this.resetItem();
    }
  }

  private startSkipping(sink: JsonSplitSink): void {
    void sink;
    this.skipping = true;
    this.pieces = [];
  }

  /**
   * The pieces end inside a string being cut: drop an escape or a surrogate pair cut in two at
   * their end, so the string stays valid JSON once its closing quote follows.
   */
  private keepSafePrefixOfString(): void {
    const contentAt = this.strOpenAt + 1;
    let k = this.pieces.length;
    let startOfK = this.itemChars;
    while (k > 0 && startOfK > contentAt) startOfK -= this.pieces[--k].length;
    const joined = this.pieces.slice(k).join('');
    const from = contentAt - startOfK;
    let safe = joined.length;
    let lastEscape = -1;
    let lastEscapeEnd = -1;
    for (let i = joined.indexOf('\\', from); i >= 0; i = joined.indexOf('\\', i)) {
      const n = joined.charCodeAt(i + 1) === 0x75 ? 6 : 2; // \uXXXX or \x
      if (i + n > joined.length) {
        safe = i;
        break;
      }
      lastEscape = i;
      lastEscapeEnd = i + n;
      i += n;
    }
    // nor a surrogate pair, written as two \u escapes or as itself
    if (lastEscapeEnd === safe && /^\\u[dD][89abAB]/.test(joined.slice(lastEscape, lastEscape + 4))) safe = lastEscape;
    const last = joined.charCodeAt(safe - 1);
    if (safe > from && last >= 0xd800 && last <= 0xdbff) safe--;
    this.pieces.length = k;
    this.pieces.push(joined.slice(0, safe));
    this.itemChars = startOfK + safe;
  }

  private keyPart(t: string): void {
    if (this.keyText === null) return;
    // only short keys matter ("hits"); a long string is no key we follow
    this.keyText = this.keyText.length + t.length > 16 ? null : this.keyText + t;
  }

  private beginTail(): void {
    this.inItem = true;
    this.envelopeTail = true;
    this.skipping = true;
    this.depth = 2;
    this.itemLine = this.line;
  }

  private beginItem(topObject: boolean): void {
    if (this.inTopArray || this.inHits) this.arrayIndex++;
    this.keyTrack = topObject;
    this.expectKey = true;
    this.key1 = '';
    this.key2 = '';
    this.objAt2 = false;
    this.keyText = null;
    this.inItem = true;
    this.itemLine = this.line;
    this.itemStartLine = this.line;
    this.pieces = [];
    this.itemChars = 0;
    this.skipping = false;
    this.straying = false;
    this.strCut = undefined;
    this.cuts = [];
    this.itemsFound++;
  }

  private resetItem(): void {
    this.keyTrack = false;
    this.keyText = null;
    this.envelopeTail = false;
    this.inItem = false;
    this.depth = 0;
    this.pieces = [];
    this.itemChars = 0;
    this.skipping = false;
    this.strCut = undefined;
    this.cuts = [];
  }

  private endItem(sink: JsonSplitSink, flush: () => void): void {
    flush();
    if (this.envelopeTail) {
      this.resetItem();
      return;
    }
    if (this.skipping || this.itemChars > this.maxItemChars) {
      sink.problem({ code: 'TOO_LARGE', line: this.itemLine, message: `JSON value larger than ${this.maxItemChars} characters: skipped` });
    } else {
      const item: JsonItem = { text: this.pieces.length === 1 ? this.pieces[0] : this.pieces.join(''), line: this.itemLine };
      if (this.inTopArray || this.inHits) item.index = this.arrayIndex;
      if (this.cuts.length > 0) item.cuts = this.cuts;
      sink.item(item);
    }
    if (!this.firstItemDone) {
      this.firstItemDone = true;
      // one item on one line, outside an array: read the rest as NDJSON (line-resynchronising)
      this.ndjson = !this.inTopArray && !this.inHits && this.itemStartLine === this.line;
    }
    this.resetItem();
  }
}
