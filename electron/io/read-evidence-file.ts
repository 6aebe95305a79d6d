// Reads one evidence file from disk (read-only) through the shared readers. Problems are passed
// to the caller; an I/O failure opening the file becomes an UNREADABLE error problem rather than
// an exception, so a caller looping over files always goes on to the next.
// The reader options (e.g. a scan's EVTX fast path, scanReadOptions) go to readEvidence as its
// options, apart from the context: the context is typed on its own so that an option put in it by
// mistake is a compile error (it was, silently, and every CLI scan decoded every record in full).
// The file is read through a read-once source (read-ahead; with onSha256, SHA-256 of the bytes as
// they are parsed, the parts no reader asked for read once at the end, see read-once-source.ts).
// The hash is reported only for a read that ran to its end (none when the caller stopped early or
// cancelled), undefined when the file changed size while read (with a warning).

import { openReadOnceSource, type ReadOnceSource } from './read-once-source';
import { readEvidence, type ReadEvidenceOptions } from '../../shared/readers/read-evidence';
import type { RawEvent } from '../../shared/model/raw-event';
import type { Problem } from '../../shared/model/problems';
import type { ReaderContext, ReadSummary } from '../../shared/readers/types';

export interface ReadFileHooks {
  onProblem(p: Problem): void;
  onProgress?(bytesDone: number, size: number): void;
  isCancelled?(): boolean;
  /** When given, the file is hashed while read: called once with its SHA-256 (undefined: not hashed) after the reader ended. */
  onSha256?(sha256: string | undefined): void;
}

async function reportHash(src: ReadOnceSource, path: string, hooks: ReadFileHooks): Promise<void> {
  if (!hooks.onSha256) return;
  if (hooks.isCancelled?.()) return hooks.onSha256(undefined);
  let sha256: string | undefined;
  try {
    sha256 = await src.sha256();
    if (sha256 === undefined) hooks.onProblem({ code: 'UNREADABLE', level: 'warning', file: path, message: 'the file changed size while it was read: not hashed' });
  } catch (e) {
    hooks.onProblem({ code: 'UNREADABLE', level: 'error', file: path, message: `cannot hash: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
  }
  hooks.onSha256(sha256);
}

/**
 * `opened`: a source the caller already opened on `path` (and may have peeked at, e.g. to tell a
 * hive from a log): it is read on from there, hashed as one read, and closed here.
 */
export async function* readEvidenceFile(path: string, hooks: ReadFileHooks, opts: ReadEvidenceOptions = {}, opened?: ReadOnceSource): AsyncGenerator<RawEvent[], ReadSummary | undefined> {
  let src: ReadOnceSource;
  try {
    src = opened ?? (await openReadOnceSource(path, { hash: hooks.onSha256 !== undefined }));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    hooks.onProblem({ code: 'UNREADABLE', level: 'error', file: path, message: `cannot open: ${err.code ?? err.message}` });
    return undefined;
  }
  const size = src.size;
  const ctx: ReaderContext = { file: path, onProblem: hooks.onProblem };
  if (hooks.onProgress) ctx.onProgress = (n) => hooks.onProgress?.(n, size);
  if (hooks.isCancelled) ctx.isCancelled = hooks.isCancelled;
  try {
    const gen = readEvidence(src, ctx, opts);
    for (;;) {
      const r = await gen.next();
      if (r.done) {
        await reportHash(src, path, hooks);
        return r.value;
      }
      yield r.value;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    hooks.onProblem({ code: err.code ? 'UNREADABLE' : 'INTERNAL', level: 'error', file: path, message: err.message });
    // the evidence is still hashed whole (the reader failing is no reason to drop its hash)
    await reportHash(src, path, hooks);
    return undefined;
  } finally {
    await src.close();
  }
}
