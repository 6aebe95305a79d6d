// Reads one evidence file from disk (read-only) through the shared readers. Problems are passed
// to the caller; an I/O failure opening the file becomes an UNREADABLE error problem rather than
// an exception, so a caller looping over files always goes on to the next.

import { openFileSource } from './file-source';
import { readEvidence } from '../../shared/readers/read-evidence';
import type { RawEvent } from '../../shared/model/raw-event';
import type { Problem } from '../../shared/model/problems';
import type { ReadSummary } from '../../shared/readers/types';

export interface ReadFileHooks {
  onProblem(p: Problem): void;
  onProgress?(bytesDone: number, size: number): void;
  isCancelled?(): boolean;
  /** EVTX only: decode just these EventData names (readEvidence's evtxWantedFields); undefined: a full decode. */
  evtxWantedFields?: ReadonlySet<string>;
}

export async function* readEvidenceFile(path: string, hooks: ReadFileHooks): AsyncGenerator<RawEvent[], ReadSummary | undefined> {
  let src;
  try {
    src = await openFileSource(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    hooks.onProblem({ code: 'UNREADABLE', level: 'error', file: path, message: `cannot open: ${err.code ?? err.message}` });
    return undefined;
  }
  const size = src.size;
  try {
    const gen = readEvidence(src, {
      file: path,
      onProblem: hooks.onProblem,
      onProgress: hooks.onProgress ? (n) => hooks.onProgress?.(n, size) : undefined,
      isCancelled: hooks.isCancelled,
      ...(hooks.evtxWantedFields ? { evtxWantedFields: hooks.evtxWantedFields } : {}),
    });
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
