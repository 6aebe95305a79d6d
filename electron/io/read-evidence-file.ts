// Reads one evidence file from disk (read-only) through the shared readers. Problems are passed
// to the caller; an I/O failure opening the file becomes an UNREADABLE error problem rather than
// an exception, so a caller looping over files always goes on to the next.
// The reader options (e.g. a scan's EVTX fast path, scanReadOptions) go to readEvidence as its
// options, apart from the context: the context is typed on its own so that an option put in it by
// mistake is a compile error (it was, silently, and every CLI scan decoded every record in full).

import { openFileSource } from './file-source';
import { readEvidence, type ReadEvidenceOptions } from '../../shared/readers/read-evidence';
import type { RawEvent } from '../../shared/model/raw-event';
import type { Problem } from '../../shared/model/problems';
import type { ReaderContext, ReadSummary } from '../../shared/readers/types';

export interface ReadFileHooks {
  onProblem(p: Problem): void;
  onProgress?(bytesDone: number, size: number): void;
  isCancelled?(): boolean;
}

export async function* readEvidenceFile(path: string, hooks: ReadFileHooks, opts: ReadEvidenceOptions = {}): AsyncGenerator<RawEvent[], ReadSummary | undefined> {
  let src;
  try {
    src = await openFileSource(path);
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
      if (r.done) return r.value;
      yield r.value;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    hooks.onProblem({ code: err.code ? 'UNREADABLE' : 'INTERNAL', level: 'error', file: path, message: err.message });
    return undefined;
  } finally {
    await src.close();
  }
}
