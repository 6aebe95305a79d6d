// The one entry point for reading an evidence file of any supported format. The format comes from
// the content (sniffFormat), archives are opened in place and every member goes through the same
// dispatch (nested archives to a bounded depth), with ctx.member naming the member so events and
// problems point at it. Random-access sources (EVTX, zip) are read in place; everything else is
// streamed (gzip, tar, text), so memory stays bounded by one chunk, one event and the limits.
// Never throws for bad input: an unknown format is an UNKNOWN_FORMAT error problem, archive damage
// is BAD_ARCHIVE, refused expansion ARCHIVE_LIMIT; the other members are still read. A stream that
// an archive layer stopped (refused, cut, damaged) has had its one problem reported there, so the
// layers inside it do not add "empty" or "truncated" problems of their own for that end.

import type { RawEvent } from '../model/raw-event';
import type { Problem } from '../model/problems';
import { readEvtx } from '../evtx/reader';
import { ArchiveBudget, ArchiveStop, ExpansionMeter, type ArchiveLimits } from '../archive/limits';
import { checkCrc, gunzipChunks, inflateChunks } from '../archive/inflate';
import { readZipDirectory, sliceSource, zipDataStart, type ZipEntry } from '../archive/zip';
import { ZipRangeClaims, type ZipClaim } from '../archive/zip-overlap';
import { tarMembers } from '../archive/tar';
import { bytesSource, type ByteSource, type ReaderContext, type ReadSummary } from './types';
import { concatBytes, PeekableStream, sourceChunks, SOURCE_CHUNK, type ByteChunks } from '../bytes/byte-stream';
import { SNIFF_BYTES, sniffFormat, type SniffResult } from './sniff';
import { decodeChunks } from './text-encoding';
import type { TextCounts, TextReaderOptions } from './reader-kit';
import { readXmlText } from './xml-reader';
import { readJsonText } from './json-reader';
import { readCsvText } from './csv-reader';
import { looksLikeHive } from '../regf/base-block';

export { sniffFormat, type SniffResult, type SniffedFormat } from './sniff';

export interface ReadEvidenceOptions extends TextReaderOptions {
  limits?: Partial<ArchiveLimits>;
  /**
   * EVTX files and EVTX archive members only: decode just these EventData names (readEvtx's
   * wantedFields fast path; System fields always). Text formats are always read whole.
   */
  evtxWantedFields?: ReadonlySet<string>;
}

interface Env {
  budget: ArchiveBudget;
  text: TextReaderOptions;
  /** recoveredRecords / deletedFragments: EVTX carving, summed over the file and its members. */
  tally: { records: number; failedRecords: number; recoveredRecords: number; deletedFragments: number };
  evtxWanted: ReadonlySet<string> | undefined;
}

type Format = ReadSummary['format'];
type Reader = AsyncGenerator<RawEvent[], Format>;

function problemFor(ctx: ReaderContext, code: Problem['code'], level: Problem['level'], message: string, where: Partial<Problem> = {}): void {
  const p: Problem = { code, level, file: ctx.file, message, ...where };
  if (ctx.member !== undefined) p.member = ctx.member;
  ctx.onProblem(p);
}

function memberCtx(ctx: ReaderContext, name: string): ReaderContext {
  const member = ctx.member !== undefined ? `${ctx.member}!${name}` : name;
  const out: ReaderContext = { file: ctx.file, member, onProblem: ctx.onProblem };
  if (ctx.isCancelled) out.isCancelled = ctx.isCancelled;
  return out;
}

/** Pipes a sub-reader through, counting its events (its counts survive a stop mid-way). */
async function* counted(env: Env, gen: AsyncGenerator<RawEvent[], TextCounts>): AsyncGenerator<RawEvent[], void> {
  let seen = 0;
  for (;;) {
    const r = await gen.next();
    if (r.done) {
      env.tally.records += r.value.records - seen;
      env.tally.failedRecords += r.value.failedRecords;
      return;
    }
    seen += r.value.length;
    env.tally.records += r.value.length;
    yield r.value;
  }
}

/**
 * Reads one evidence file: EVTX, Windows event XML, JSON / NDJSON, CSV, or a zip / tar / tar.gz /
 * gz holding any of them. Yields batches of RawEvents; returns the summary.
 */
export async function* readEvidence(src: ByteSource, ctx: ReaderContext, opts: ReadEvidenceOptions = {}): AsyncGenerator<RawEvent[], ReadSummary> {
  const env: Env = {
    budget: new ArchiveBudget(opts.limits),
    text: opts.maxItemChars !== undefined ? { maxItemChars: opts.maxItemChars } : {},
    tally: { records: 0, failedRecords: 0, recoveredRecords: 0, deletedFragments: 0 },
    evtxWanted: opts.evtxWantedFields,
  };
  const format = yield* readSource(src, ctx, env, 0);
  const { records, failedRecords, recoveredRecords, deletedFragments } = env.tally;
  const summary: ReadSummary = { format, records, failedRecords, bytes: src.size };
  // only where EVTX was read, so other formats' summaries stay as they were
  if (recoveredRecords || deletedFragments) Object.assign(summary, { recoveredRecords, deletedFragments });
  return summary;
}

async function* readSource(src: ByteSource, ctx: ReaderContext, env: Env, depth: number): Reader {
  const head = await src.read(0, Math.min(src.size, SNIFF_BYTES));
  const sniff = sniffFormat(head);
  switch (sniff.format) {
    case 'evtx': {
      const gen = readEvtx(src, ctx, env.evtxWanted ? { wantedFields: env.evtxWanted } : {});
      for (;;) {
        const r = await gen.next();
        if (r.done) {
          env.tally.records += r.value.records;
          env.tally.failedRecords += r.value.failedRecords;
          env.tally.recoveredRecords += r.value.recoveredRecords ?? 0;
          env.tally.deletedFragments += r.value.deletedFragments ?? 0;
          return 'evtx';
        }
        yield r.value;
      }
    }
    case 'zip':
      yield* readZip(src, ctx, env, depth + 1);
      return 'archive';
    default: {
      const stream = new PeekableStream(sourceChunks(src, 0, src.size, SOURCE_CHUNK, ctx.onProgress));
      return yield* readStream(stream, ctx, env, depth, sniff);
    }
  }
}

/** True once an archive layer above a stream stopped it early and reported why. */
type CutUpstream = () => boolean;

/** Dispatch for a forward-only stream (a gzip body, a tar member, an inflated zip member). */
async function* readStream(stream: PeekableStream, ctx: ReaderContext, env: Env, depth: number, known?: SniffResult, cut?: CutUpstream): Reader {
  const sniff = known ?? sniffFormat(await stream.peek(SNIFF_BYTES));
  switch (sniff.format) {
    case 'empty':
      // a refused bomb or a cut header ends its stream before the first byte: that one problem says it
      if (!cut?.()) problemFor(ctx, 'UNKNOWN_FORMAT', 'error', 'the file is empty');
      return 'unknown';
    case 'unknown':
      // a registry hive holds no events: say so, and which command reads it
      if (looksLikeHive(await stream.peek(4))) problemFor(ctx, 'UNKNOWN_FORMAT', 'error', 'a registry hive (regf), not an event log: read it with `runkey-hunter hive`');
      else problemFor(ctx, 'UNKNOWN_FORMAT', 'error', 'not a format this tool reads (EVTX, Windows event XML, JSON, CSV export, zip, tar, gzip)');
      return 'unknown';
    case 'evtx':
    case 'zip': {
      // these need random access: hold the member in memory, within the limit
      const bytes = await materialize(stream, env.budget.limits.maxInMemoryMember);
      if (!bytes) {
        problemFor(ctx, 'ARCHIVE_LIMIT', 'error', `a ${sniff.format} member larger than ${env.budget.limits.maxInMemoryMember} bytes cannot be read from inside an archive: extract it first`);
        return sniff.format === 'zip' ? 'archive' : 'evtx';
      }
      return yield* readSource(bytesSource(bytes), ctx, env, depth);
    }
    case 'gzip': {
      if (!enterLevel(ctx, env, depth)) return 'archive';
      const meter = new ExpansionMeter(env.budget, ctx.member ?? 'gzip stream');
      let halted = false; // a checksum mismatch is reported but the stream goes on
      const body = gunzipChunks(stream.rest(), meter, 'gzip', (e) => {
        if (e.code !== 'BAD_CHECKSUM') halted = true;
        reportStop(ctx, e);
      });
      const inner = yield* readStream(new PeekableStream(body), ctx, env, depth + 1, undefined, () => halted || cut?.() === true);
      return ctx.member === undefined && inner !== 'unknown' ? inner : 'archive';
    }
    case 'tar':
      if (!enterLevel(ctx, env, depth)) return 'archive';
      yield* readTar(stream, ctx, env, depth + 1, cut);
      return 'archive';
    case 'xml':
    case 'json':
    case 'csv': {
      const text = decodeChunks(stream.rest(), sniff.encoding);
      const reader = sniff.format === 'xml' ? readXmlText : sniff.format === 'json' ? readJsonText : readCsvText;
      yield* counted(env, reader(text, ctx, env.text));
      return sniff.format;
    }
  }
}

function reportStop(ctx: ReaderContext, e: ArchiveStop): void {
  const level = e.code === 'ARCHIVE_LIMIT' || e.place.nothingRead === true ? 'error' : 'warning';
  problemFor(ctx, e.code, level, e.message, e.place.offset !== undefined ? { offset: e.place.offset } : {});
}

function enterLevel(ctx: ReaderContext, env: Env, depth: number): boolean {
  if (depth + 1 > env.budget.limits.maxDepth) {
    problemFor(ctx, 'ARCHIVE_LIMIT', 'error', `archives nested deeper than ${env.budget.limits.maxDepth} levels: refused`);
    return false;
  }
  return true;
}

async function materialize(stream: PeekableStream, max: number): Promise<Uint8Array | undefined> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const c = await stream.next(SOURCE_CHUNK);
    if (!c) break;
    n += c.length;
    if (n > max) return undefined;
    parts.push(c);
  }
  return concatBytes(parts, n);
}

/** Per member: reports only the first stop (a cut stream also fails its CRC check). */
function stopOnce(ctx: ReaderContext): { stopped: () => boolean; onStop: (e: ArchiveStop) => void } {
  let stopped = false;
  return {
    stopped: () => stopped,
    onStop: (e) => {
      if (stopped) return;
      stopped = true;
      reportStop(ctx, e);
    },
  };
}

function admit(ctx: ReaderContext, env: Env): boolean {
  if (env.budget.exhausted) return false;
  if (!env.budget.admitMember()) {
    if (env.budget.members === env.budget.limits.maxMembers + 1) {
      problemFor(ctx, 'ARCHIVE_LIMIT', 'error', `more than ${env.budget.limits.maxMembers} archive members: the rest are refused`);
    }
    env.budget.exhausted = true;
    return false;
  }
  return true;
}

async function* readZip(src: ByteSource, ctx: ReaderContext, env: Env, depth: number): AsyncGenerator<RawEvent[], void> {
  if (depth > env.budget.limits.maxDepth) {
    problemFor(ctx, 'ARCHIVE_LIMIT', 'error', `archives nested deeper than ${env.budget.limits.maxDepth} levels: refused`);
    return;
  }
  const dir = await readZipDirectory(src, env.budget.limits.maxMembers);
  if (!dir.ok) {
    problemFor(ctx, 'BAD_ARCHIVE', 'error', dir.message, dir.offset !== undefined ? { offset: dir.offset } : {});
    return;
  }
  // stable sort: of entries at one offset, the one listed first is read
  const entries = dir.entries.filter((e) => !e.name.endsWith('/')).sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  const progress = depth === 1 ? ctx.onProgress : undefined;
  const claims = new ZipRangeClaims();
  const warned = { n: 0 };
  const refuse = (mctx: ReaderContext, entry: ZipEntry, claim: Exclude<ZipClaim, { kind: 'first' }>) => {
    if (warned.n >= MAX_CLAIM_WARNINGS) return;
    warned.n++;
    problemFor(mctx, 'BAD_ARCHIVE', 'warning', refusedClaimMessage(entry, claim), { offset: entry.localHeaderOffset });
  };
  for (const entry of entries) {
    if (ctx.isCancelled?.()) return;
    if (env.budget.exhausted) return;
    const mctx = memberCtx(ctx, entry.name);
    const same = claims.sameOffset(entry);
    if (same.kind !== 'first') {
      refuse(mctx, entry, same);
      continue;
    }
    const start = await zipDataStart(src, entry);
    const claim = claims.range(entry, typeof start === 'number' ? start + entry.compressedSize : undefined);
    if (claim.kind !== 'first') {
      refuse(mctx, entry, claim);
      continue;
    }
    // refused entries are not members read, so they do not use up the member limit
    if (!admit(ctx, env)) return;
    yield* readZipMember(src, entry, start, mctx, env, depth, progress);
  }
  claims.countUnkept(dir.repeatsNotKept, dir.repeatBytesNotKept);
  if (claims.refused > warned.n) {
    problemFor(ctx, 'BAD_ARCHIVE', 'warning', `${claims.refused - warned.n} more zip entries reusing other entries' bytes: skipped (${claims.refused} in all)`);
  }
  if (claims.refusedLookLikeBomb(env.budget.limits, src.size)) {
    // a warning: every byte of the archive was read once; what it would have multiplied was not
    problemFor(ctx, 'ARCHIVE_LIMIT', 'warning', `${claims.refused} zip entries that reuse other entries' bytes declare ${claims.refusedBytes} bytes in a ${src.size}-byte archive: refused as an overlapping-entry decompression bomb`);
  }
  // refused entries are not admitted, so the member limit may not have been met by the entries read
  if (dir.cutAtLimit && !env.budget.exhausted) {
    problemFor(ctx, 'ARCHIVE_LIMIT', 'error', `the zip directory lists more than ${env.budget.limits.maxMembers} entries: the rest are refused`);
    env.budget.exhausted = true;
  }
  progress?.(src.size);
}

/** Warnings for refused duplicate / overlapping entries of one archive, one each up to this; then one for the rest. */
const MAX_CLAIM_WARNINGS = 256;

function refusedClaimMessage(entry: ZipEntry, claim: Exclude<ZipClaim, { kind: 'first' }>): string {
  if (claim.kind === 'duplicate') {
    return `listed again in the zip directory: same local header (offset ${entry.localHeaderOffset}) as "${claim.of.name}", read once; this entry skipped`;
  }
  return `zip entry at offset ${entry.localHeaderOffset} lies inside the bytes of "${claim.of.name}" (offsets ${claim.of.localHeaderOffset} to ${claim.ofEnd}): overlapping entries, the first is read and this one skipped`;
}

async function* readZipMember(src: ByteSource, entry: ZipEntry, start: number | string, ctx: ReaderContext, env: Env, depth: number, progress?: (n: number) => void): AsyncGenerator<RawEvent[], void> {
  const l = env.budget.limits;
  if (entry.flags & 1) {
    problemFor(ctx, 'BAD_ARCHIVE', 'warning', 'encrypted member: skipped');
    return;
  }
  if (entry.method !== 0 && entry.method !== 8) {
    problemFor(ctx, 'BAD_ARCHIVE', 'warning', `compression method ${entry.method} is not supported: member skipped`);
    return;
  }
  if (entry.size > l.ratioFloorBytes && entry.size > Math.max(entry.compressedSize, 1) * l.maxRatio) {
    problemFor(ctx, 'ARCHIVE_LIMIT', 'error', `member declares ${entry.size} bytes from ${entry.compressedSize} (more than ${l.maxRatio}:1): refused as a decompression bomb`);
    return;
  }
  if (env.budget.expanded + entry.size > l.maxTotalBytes) {
    problemFor(ctx, 'ARCHIVE_LIMIT', 'error', `member of ${entry.size} bytes would pass the ${l.maxTotalBytes}-byte expansion limit: refused`);
    env.budget.exhausted = true;
    return;
  }
  if (typeof start === 'string') {
    problemFor(ctx, 'BAD_ARCHIVE', 'warning', start, { offset: entry.localHeaderOffset });
    return;
  }
  const onRead = progress ? (abs: number) => progress(abs) : undefined;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) {
      problemFor(ctx, 'BAD_ARCHIVE', 'warning', 'stored member with different compressed and expanded sizes: skipped', { offset: entry.localHeaderOffset });
      return;
    }
    // stored: random access in place, no copy
    yield* readSource(sliceSource(src, start, entry.size), ctx, env, depth);
    onRead?.(start + entry.size);
    return;
  }
  const stop = stopOnce(ctx);
  const meter = new ExpansionMeter(env.budget, 'member');
  const raw: ByteChunks = sourceChunks(src, start, start + entry.compressedSize, 256 * 1024, onRead);
  const body = checkCrc(inflateChunks(raw, meter, 'member', stop.onStop), entry.crc, entry.size, 'member', (e) => {
    if (!stop.stopped()) stop.onStop(e);
  });
  yield* readStream(new PeekableStream(body), ctx, env, depth, undefined, stop.stopped);
}

/** Same member name twice is kept twice: tar appends newer versions, and each is bytes of its own. */
async function* readTar(stream: PeekableStream, ctx: ReaderContext, env: Env, depth: number, cut?: CutUpstream): AsyncGenerator<RawEvent[], void> {
  const members = tarMembers(stream, (p) => {
    if (!(p.truncated === true && cut?.())) problemFor(p.member !== undefined ? memberCtx(ctx, p.member) : ctx, 'BAD_ARCHIVE', 'warning', p.message, { offset: p.offset });
  });
  for await (const m of members) {
    if (ctx.isCancelled?.()) return;
    if (!admit(ctx, env)) return;
    const mctx = memberCtx(ctx, m.name);
    if (m.size === 0) continue;
    let got = 0;
    const counting = (async function* () {
      for await (const c of m.chunks) {
        got += c.length;
        yield c;
      }
      if (got < m.size && !cut?.()) problemFor(mctx, 'BAD_ARCHIVE', 'warning', `member cut short: ${got} of ${m.size} bytes (truncated tar)`, { offset: m.offset });
    })();
    yield* readStream(new PeekableStream(counting), mctx, env, depth, undefined, cut);
  }
}
