// A finding's writer: who made the event. The identity of its process, and for a process start
// the parent's image and command line. One literal of the eight fields the report's schema names:
// a start's other fields (current directory, integrity level, original file name) are not part of
// a writer, and every writer has one shape (a spread of the event's process, whose fields vary by
// source, took V8's generic copy).

import type { NormalizedEvent } from './events';
import type { Finding } from './finding';

export function writerOf(ev: NormalizedEvent): Finding['writer'] {
  const p = ev.process;
  const parent = ev.kind === 'process' ? ev.parent : undefined;
  return {
    image: p.image, pid: p.pid, processGuid: p.processGuid, commandLine: p.commandLine, user: p.user, hashes: p.hashes,
    parentImage: parent?.image, parentCommandLine: parent?.commandLine,
  };
}
