// Splits a stream of decoded XML text into the text of each <Event> element, so a multi-GB export
// is parsed one event at a time. It is a small resumable tokenizer (tags with quoted attributes,
// comments, CDATA, processing instructions, DOCTYPE with an internal subset) that tracks element
// nesting inside an event; a token or event cut by a chunk boundary simply waits for the next chunk.
// Works for Event Viewer "Save as XML" (<Events><Event>…), wevtutil output (<Event>… with no root)
// and prefixed names (<e:Event>). Entities are never expanded here or anywhere in the readers.
// Damage: an event whose end tags do not match, or that is cut by the next <Event> or the end of
// the input, is reported (BAD_XML with its line) and skipped; an event larger than the limit is
// skipped without being held in memory (TOO_LARGE). A value longer than the value limit (the
// character data between two element tags: text, CDATA, comments; or an attribute value) keeps
// its first characters, cut never inside an entity reference or a surrogate pair, and the rest is
// removed as it is scanned (text past a cut never even joins the buffer), markup delimiters kept so
// the event stays well-formed; the event carries the cut (SplitEvent.cuts) for the reader's
// TOO_LARGE warning. Positions count the text as kept. Memory: the current event as kept plus one
// chunk.

import { decodeXmlEntities } from './xml-entities';
import type { ValueCut } from './reader-kit';

export interface XmlValueCut extends ValueCut {
  /** The element holding the value: its Name attribute (EventData's <Data Name="…">), else its local name; for an attribute, element.attribute. */
  field: string;
}

export interface SplitEvent {
  text: string;
  /** 1-based line of the event's start tag. */
  line: number;
  /** Values cut at the value limit, in order. */
  cuts?: XmlValueCut[];
}

export interface SplitProblem {
  code: 'BAD_XML' | 'TOO_LARGE';
  line: number;
  message: string;
}

export interface SplitSink {
  event(e: SplitEvent): void;
  problem(p: SplitProblem): void;
}

type State = 'text' | 'tag' | 'comment' | 'cdata' | 'pi' | 'decl';

const MAX_NAME = 512;

function isNameEnd(c: number): boolean {
  // whitespace, '/', '>'
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e;
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

const NAME_ATTR = /\sName\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/** The field a value belongs to, from the start tag of its element. */
function fieldOfTag(tag: string, name: string): string {
  const m = NAME_ATTR.exec(tag);
  const attr = m ? (m[1] ?? m[2]) : undefined;
  return attr ? decodeXmlEntities(attr) : localName(name);
}

export class XmlEventSplitter {
  private buf = '';
  /** Absolute char index of buf[0]. */
  private base = 0;
  /** Absolute scan position. */
  private pos = 0;
  private state: State = 'text';
  // the tag being scanned
  private tagStart = 0;
  private tagName = '';
  private tagIsEnd = false;
  private quote = 0;
  private lastNonSpace = 0;
  private declDepth = 0;
  // the event being collected
  private inEvent = false;
  private eventStart = 0;
  private eventLine = 0;
  private stack: string[] = [];
  /** Absolute start of each open element's start tag (parallel to `stack`), to name a cut value. */
  private openStarts: number[] = [];
  private mismatch = '';
  private skipping = false;
  // the value (character data since the last element tag) being scanned
  private runStart = 0;
  private runChars = 0;
  /** Where the current stretch of plain text began (a cut looks back no further for an entity). */
  private textStart = 0;
  /** The value being cut: set from the cut to the next element tag, while its rest is removed. */
  private cut: XmlValueCut | undefined;
  private cuts: XmlValueCut[] = [];
  // the attribute value being scanned, and its cut
  private attrStart = 0;
  private attrChars = 0;
  private attrCut: XmlValueCut | undefined;
  // line counting: the line at absolute position `countedTo`
  private countedTo = 0;
  private countedLine = 1;
  /** True once a DOCTYPE declaring entities was seen (they are ignored, never expanded). */
  sawEntityDeclarations = false;
  sawDoctype = false;
  eventsFound = 0;

  constructor(
    private readonly maxEventChars: number,
    private readonly maxValueChars = Number.MAX_SAFE_INTEGER,
  ) {}

  /** Line number at an absolute position (positions must not decrease between calls). */
  private lineAt(abs: number): number {
    let i = this.countedTo - this.base;
    const stop = abs - this.base;
    let line = this.countedLine;
    for (;;) {
      const j = this.buf.indexOf('\n', i);
      if (j < 0 || j >= stop) break;
      line++;
      i = j + 1;
    }
    this.countedTo = abs;
    this.countedLine = line;
    return line;
  }

  push(chunk: string, sink: SplitSink): void {
    const cut = this.state === 'text' ? this.cut : this.state === 'tag' && this.quote ? this.attrCut : undefined;
    if (cut && !this.skipping && this.pos === this.base + this.buf.length) {
      // the text of a value past its cut is dropped before it joins the buffer (no copy of the event per chunk)
      const stop = chunk.indexOf(this.state === 'text' ? '<' : this.quote === 0x22 ? '"' : "'");
      const drop = stop < 0 ? chunk.length : stop;
      this.lineAt(this.pos);
      this.countedLine += countNewlines(chunk, 0, drop);
      cut.chars += drop;
      if (stop < 0) return;
      chunk = chunk.slice(stop);
    }
    this.buf += chunk;
    this.scan(sink, false);
    this.trim();
  }

  end(sink: SplitSink): void {
    this.scan(sink, true);
    if (this.inEvent) {
      sink.problem({ code: 'BAD_XML', line: this.eventLine, message: 'the input ends inside an <Event> element (truncated)' });
      this.inEvent = false;
    } else if (this.state !== 'text') {
      sink.problem({ code: 'BAD_XML', line: this.lineAt(Math.max(this.tagStart, this.countedTo)), message: `the input ends inside a ${this.state === 'decl' ? 'declaration' : this.state}` });
    }
    this.buf = '';
  }

  private trim(): void {
    // an <Event> start tag cut by the chunk end becomes the event's first characters: keep all of it
    const eventTag = this.state === 'tag' && !this.tagIsEnd && localName(this.tagName) === 'Event';
    const keepAbs = this.inEvent && !this.skipping ? this.eventStart : this.state === 'text' ? this.pos : eventTag ? this.tagStart : Math.max(this.pos, this.tagStart);
    const cut = keepAbs - this.base;
    if (cut <= 0) return;
    if (this.countedTo < keepAbs) this.lineAt(keepAbs);
    this.buf = this.buf.slice(cut);
    this.base = keepAbs;
  }

  private scan(sink: SplitSink, final: boolean): void {
    let buf = this.buf;
    let p = this.pos - this.base;
    let len = buf.length;
    while (p < len) {
      switch (this.state) {
        case 'text': {
          let i = buf.indexOf('<', p);
          const removed = this.valueText(p, i < 0 ? len : i, true);
          if (removed > 0) {
            buf = this.buf;
            len = buf.length;
            if (i >= 0) i -= removed;
          }
          if (i < 0) {
            p = len;
            break;
          }
          // classify the markup; wait when too few characters are there to tell
          if (len - i < 9 && !final) {
            const avail = buf.slice(i, len);
            if ('<![CDATA['.startsWith(avail) || '<!--'.startsWith(avail) || avail.length < 2) {
              this.pos = this.base + i;
              return;
            }
          }
          this.tagStart = this.base + i;
          if (buf.startsWith('<!--', i)) {
            this.state = 'comment';
            p = i + 4;
          } else if (buf.startsWith('<![CDATA[', i)) {
            this.state = 'cdata';
            p = i + 9;
          } else if (buf.startsWith('<?', i)) {
            this.state = 'pi';
            p = i + 2;
          } else if (buf.startsWith('<!', i)) {
            this.state = 'decl';
            this.declDepth = 0;
            this.quote = 0;
            if (buf.startsWith('<!DOCTYPE', i)) this.sawDoctype = true;
            p = i + 2;
          } else {
            const isEnd = buf.charCodeAt(i + 1) === 0x2f;
            let j = i + (isEnd ? 2 : 1);
            const nameStart = j;
            while (j < len && !isNameEnd(buf.charCodeAt(j)) && j - nameStart <= MAX_NAME) j++;
            if (j >= len && !final) {
              this.pos = this.base + i;
              return;
            }
            this.tagName = buf.slice(nameStart, j);
            this.tagIsEnd = isEnd;
            this.quote = 0;
            this.lastNonSpace = 0;
            this.state = 'tag';
            p = j;
          }
          break;
        }
        case 'comment':
        case 'cdata':
        case 'pi': {
          const close = this.state === 'comment' ? '-->' : this.state === 'cdata' ? ']]>' : '?>';
          let j = buf.indexOf(close, p);
          if (j < 0) {
            // resume just before the end so a terminator split across chunks is found
            const stop = Math.max(p, len - close.length + 1);
            const removed = this.valueText(p, stop, false);
            this.pos = this.base + stop - removed;
            return;
          }
          const removed = this.valueText(p, j, false);
          if (removed > 0) {
            buf = this.buf;
            len = buf.length;
            j -= removed;
          }
          p = j + close.length;
          this.state = 'text';
          this.textStart = this.base + p;
          break;
        }
        case 'decl': {
          // <!DOCTYPE x [ <!ENTITY a "..."> ... ]> : brackets and quotes matter, nothing is expanded
          for (; p < len; p++) {
            const c = buf.charCodeAt(p);
            if (this.quote) {
              if (c === this.quote) this.quote = 0;
            } else if (c === 0x22 || c === 0x27) this.quote = c;
            else if (c === 0x5b) this.declDepth++;
            else if (c === 0x5d) this.declDepth--;
            else if (c === 0x3c && buf.startsWith('<!ENTITY', p)) this.sawEntityDeclarations = true;
            else if (c === 0x3e && this.declDepth <= 0) break;
          }
          if (p >= len) {
            this.pos = this.base + p;
            return;
          }
          p++;
          this.state = 'text';
          this.textStart = this.base + p;
          break;
        }
        case 'tag': {
          let closed = false;
          for (; p < len; p++) {
            if (this.quote) {
              // an attribute value: to its closing quote in one step, cut past the value limit
              const q = buf.indexOf(this.quote === 0x22 ? '"' : "'", p);
              const removed = this.attributeText(p, q < 0 ? len : q);
              if (removed > 0) {
                buf = this.buf;
                len = buf.length;
              }
              if (q < 0) {
                p = len;
                break;
              }
              p = q - removed; // the loop steps past the closing quote
              this.quote = 0;
              this.endAttribute();
              continue;
            }
            const c = buf.charCodeAt(p);
            if (c === 0x22 || c === 0x27) {
              this.quote = c;
              this.attrStart = this.base + p + 1;
              this.attrChars = 0;
            } else if (c === 0x3e) {
              closed = true;
              break;
            } else if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) this.lastNonSpace = c;
          }
          if (!closed) {
            this.pos = this.base + p;
            return;
          }
          p++;
          this.state = 'text';
          this.textStart = this.base + p;
          this.pos = this.base + p;
          this.onTag(this.tagName, this.tagIsEnd, this.lastNonSpace === 0x2f, this.base + p, sink);
          break;
        }
      }
      this.pos = this.base + p;
      if (this.inEvent && !this.skipping && this.base + p - this.eventStart > this.maxEventChars) {
        this.skipping = true;
        sink.problem({ code: 'TOO_LARGE', line: this.eventLine, message: `event larger than ${this.maxEventChars} characters: skipped` });
      }
    }
    this.pos = Math.min(this.base + p, this.base + len);
  }

  /**
   * Value text buf[from, to) (relative) was scanned: counts it into the current value, cuts the
   * value where it passes the limit and removes what lies past the cut from buf. Returns the number
   * of characters removed at `from` or after (the caller moves its positions back by as many).
   */
  private valueText(from: number, to: number, entities: boolean): number {
    if (!this.inEvent || this.skipping || to <= from) return 0;
    if (this.cut) {
      this.cut.chars += to - from;
      this.remove(from, to);
      return to - from;
    }
    const room = this.maxValueChars - this.runChars;
    if (to - from <= room) {
      this.runChars += to - from;
      return 0;
    }
    const at = this.safeCut(from, from + room, this.textStart - this.base, entities);
    const top = this.openStarts.length - 1;
    let field = 'Event';
    if (top >= 0) {
      const tagAt = this.openStarts[top] - this.base;
      const gt = this.buf.indexOf('>', tagAt);
      field = fieldOfTag(this.buf.slice(tagAt, gt < 0 || gt - tagAt > 2048 ? tagAt + 2048 : gt + 1), this.stack[top]);
    }
    const line = this.runStart >= this.countedTo ? this.lineAt(this.runStart) : this.countedLine;
    this.cut = { field, line, chars: this.runChars + (to - from) };
    this.runChars = this.maxValueChars;
    this.remove(at, to);
    return to - at;
  }

  /**
   * Attribute value text buf[from, to) was scanned: as valueText, in and out of events (an
   * <Event> start tag is held whole until it closes, before its event begins); only a cut inside an
   * event is reported.
   */
  private attributeText(from: number, to: number): number {
    if (this.skipping || to <= from) return 0;
    if (this.attrCut) {
      this.attrCut.chars += to - from;
      this.remove(from, to);
      return to - from;
    }
    if (this.attrChars + (to - from) <= this.maxValueChars) {
      this.attrChars += to - from;
      return 0;
    }
    const at = this.safeCut(from, from + this.maxValueChars - this.attrChars, this.attrStart - this.base, true);
    const before = this.buf.slice(Math.max(this.tagStart - this.base, this.attrStart - this.base - 256), this.attrStart - this.base);
    const attr = /([^\s=<]+)\s*=\s*["']$/.exec(before)?.[1] ?? 'attribute';
    const line = this.attrStart >= this.countedTo ? this.lineAt(this.attrStart) : this.countedLine;
    this.attrCut = { field: `${localName(this.tagName)}.${localName(attr)}`, line, chars: this.attrChars + (to - from) };
    this.remove(at, to);
    return to - at;
  }

  private endAttribute(): void {
    if (this.attrCut && this.inEvent) this.cuts.push(this.attrCut);
    this.attrCut = undefined;
  }

  /** A cut at `at` moved back so it splits no entity reference (when `entities`) and no surrogate pair; `lo` bounds the look-back. */
  private safeCut(from: number, at: number, lo: number, entities: boolean): number {
    if (entities) {
      // an entity reference cut in two would be kept as broken text: cut before its '&'
      const amp = this.buf.lastIndexOf('&', at - 1);
      if (amp >= Math.max(lo, at - 12) && this.buf.lastIndexOf(';', at - 1) < amp) at = amp;
    }
    const hi = this.buf.charCodeAt(at - 1);
    if (at > from && hi >= 0xd800 && hi <= 0xdbff) at--;
    return at;
  }

  /** Removes buf[a, b) (relative), keeping the line count right; later absolute positions shift back by b - a. */
  private remove(a: number, b: number): void {
    const ct = this.countedTo - this.base;
    if (ct <= a) {
      this.lineAt(this.base + a);
      this.countedLine += countNewlines(this.buf, a, b);
    } else if (ct < b) {
      this.countedLine += countNewlines(this.buf, ct, b);
      this.countedTo = this.base + a;
    } else this.countedTo -= b - a;
    this.buf = this.buf.slice(0, a) + this.buf.slice(b);
  }

  /** An element tag ends the current value. */
  private endValue(tagEndAbs: number): void {
    if (this.cut) {
      this.cuts.push(this.cut);
      this.cut = undefined;
    }
    this.runChars = 0;
    this.runStart = tagEndAbs;
  }

  private openElement(name: string): void {
    this.stack.push(name);
    this.openStarts.push(this.tagStart);
  }

  private startEvent(): void {
    this.inEvent = true;
    this.eventStart = this.tagStart;
    this.eventLine = this.lineAt(this.tagStart);
    this.stack = [];
    this.openStarts = [];
    this.mismatch = '';
    this.skipping = false;
    this.cut = undefined;
    this.cuts = [];
    this.eventsFound++;
  }

  private finishEvent(tagEndAbs: number, sink: SplitSink): void {
    this.inEvent = false;
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    if (this.mismatch) {
      sink.problem({ code: 'BAD_XML', line: this.eventLine, message: this.mismatch });
      return;
    }
    const e: SplitEvent = { text: this.buf.slice(this.eventStart - this.base, tagEndAbs - this.base), line: this.eventLine };
    if (this.cuts.length > 0) e.cuts = this.cuts;
    this.cuts = [];
    sink.event(e);
  }

  private onTag(name: string, isEnd: boolean, selfClosing: boolean, tagEndAbs: number, sink: SplitSink): void {
    const local = localName(name);
    this.endValue(tagEndAbs);
    if (!this.inEvent) {
      if (!isEnd && local === 'Event') {
        this.startEvent();
        if (selfClosing) this.finishEvent(tagEndAbs, sink);
        else this.openElement(name);
      }
      return;
    }
    if (!isEnd) {
      if (local === 'Event' || local === 'Events') {
        // Windows event XML never nests these: the previous event was cut short
        if (!this.skipping) sink.problem({ code: 'BAD_XML', line: this.eventLine, message: `<Event> not closed before the <${name}> at line ${this.lineAt(this.tagStart)}` });
        this.inEvent = false;
        if (local === 'Event') {
          this.startEvent();
          if (selfClosing) this.finishEvent(tagEndAbs, sink);
          else this.openElement(name);
        }
        return;
      }
      if (!selfClosing) this.openElement(name);
      return;
    }
    if (local === 'Events' && this.stack.length > 0 && localName(this.stack[0]) === 'Event') {
      if (!this.skipping) sink.problem({ code: 'BAD_XML', line: this.eventLine, message: `<Event> not closed before </${name}>` });
      this.inEvent = false;
      return;
    }
    const open = this.stack.pop();
    this.openStarts.pop();
    if (open !== name && !this.mismatch) {
      this.mismatch = `end tag </${name}> at line ${this.lineAt(this.tagStart)} does not match <${open ?? ''}>`;
    }
    if (this.stack.length === 0) this.finishEvent(tagEndAbs, sink);
  }
}
