// Uploaded evidence of the browser host: each upload is a private folder (mode 0700) under one
// per-run temp root, its files streamed to disk with a size limit (all files of one upload
// together), made read-only once complete and then handed to the back half by id. Names are the
// user's relative names ("case/Sysmon.evtx"): they are shown and cited as given, but the file on
// disk gets a sanitized name so no name can escape the folder. The root is removed on close.
// A killed host cannot remove its root, so the root is named for its owner
// (`runkey-hunter-uploads-<pid>.<start time>-XXXXXX`) and each new store first removes the roots,
// in the same parent, of owners that are gone (only folders of this user in that exact pattern;
// roots of live hosts and anything else are left alone). Roots of versions before this naming
// carry no owner and are left alone too.

import { createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Result } from '../../shared/api';
import { fail, ok } from '../../shared/api';
import type { EvidenceInput } from '../backend/case-session';
import { isProcessAlive, ownIdentity, type ProcessIdentity } from '../backend/process-liveness';

interface Upload {
  dir: string;
  files: EvidenceInput[];
  bytes: number;
  names: Set<string>;
}

export const MAX_UPLOAD_FILES = 10_000;

const ROOT_PREFIX = 'runkey-hunter-uploads-';
const ROOT_NAME = /^runkey-hunter-uploads-([1-9]\d{0,9})(?:\.(\d{1,20}))?-[A-Za-z0-9]{6}$/;

/** The owner an upload root is named for, or undefined when the name is not an owned root of ours. */
export function uploadRootOwner(name: string): ProcessIdentity | undefined {
  const m = ROOT_NAME.exec(name);
  if (!m) return undefined;
  return m[2] ? { pid: Number(m[1]), start: m[2] } : { pid: Number(m[1]) };
}

/** Removes the upload roots under `parent` whose owner process is gone; returns their names. */
export async function removeDeadUploadRoots(parent: string): Promise<string[]> {
  const removed: string[] = [];
  const uid = process.getuid?.();
  let names: string[];
  try {
    names = await readdir(parent);
  } catch (e) {
    console.error(`runkey-hunter: cannot list ${parent} for old uploads: ${e instanceof Error ? e.message : String(e)}`);
    return removed;
  }
  for (const name of names) {
    const owner = uploadRootOwner(name);
    if (!owner || isProcessAlive(owner)) continue;
    const path = join(parent, name);
    try {
      const st = await lstat(path);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // another starting host removed it first
      console.error(`runkey-hunter: cannot remove the old upload folder ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return removed;
}

/** A name as the user gave it, cleaned for display: forward slashes, no leading slash / dots, no control characters. */
export function cleanUploadName(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const parts = name.replace(/\\/g, '/').replace(/[\u0000-\u001f\u007f]/g, '').split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  const out = parts.join('/').slice(0, 1024);
  return out.length > 0 ? out : undefined;
}

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  /** Folder of the upload that is the open case. */
  private opened?: string;

  private constructor(
    readonly root: string,
    readonly maxBytes: number,
  ) {}

  static async create(maxBytes: number, parent = tmpdir()): Promise<UploadStore> {
    const removed = await removeDeadUploadRoots(parent);
    if (removed.length > 0) console.error(`runkey-hunter: removed ${removed.length} upload folder(s) left in ${parent} by stopped hosts`);
    const me = ownIdentity();
    const root = await mkdtemp(join(parent, `${ROOT_PREFIX}${me.pid}${me.start ? `.${me.start}` : ''}-`));
    return new UploadStore(root, maxBytes);
  }

  /** Streams one file into an upload (a new one when uploadId is undefined). */
  async receive(uploadId: string | undefined, rawName: string, body: Readable, declaredLength: number | undefined): Promise<Result<{ uploadId: string }>> {
    const name = cleanUploadName(rawName);
    if (!name) return fail('BAD_REQUEST', 'the upload has no usable file name');
    let id = uploadId;
    let up: Upload | undefined;
    if (id !== undefined) {
      up = this.uploads.get(id);
      if (!up) return fail('NOT_FOUND', 'no such upload');
    } else {
      id = randomBytes(16).toString('base64url');
      const dir = join(this.root, id);
      await mkdir(dir, { mode: 0o700 });
      up = { dir, files: [], bytes: 0, names: new Set() };
      this.uploads.set(id, up);
    }
    if (up.files.length >= MAX_UPLOAD_FILES) return fail('TOO_LARGE', `at most ${MAX_UPLOAD_FILES} files per upload`);
    if (up.names.has(name)) return fail('BAD_REQUEST', `${name} was uploaded twice`);
    if (declaredLength !== undefined && up.bytes + declaredLength > this.maxBytes) {
      body.resume();
      return fail('TOO_LARGE', `the upload exceeds ${this.maxBytes} bytes`);
    }
    const path = join(up.dir, `${String(up.files.length).padStart(5, '0')}.bin`);
    const upload = up;
    const r = await new Promise<Result<number>>((resolveP) => {
      let n = 0;
      let settled = false;
      const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      const finish = (res: Result<number>) => {
        if (settled) return;
        settled = true;
        resolveP(res);
      };
      body.on('data', (chunk: Buffer) => {
        n += chunk.length;
        if (upload.bytes + n > this.maxBytes) {
          body.unpipe(out);
          out.destroy();
          body.resume();
          finish(fail('TOO_LARGE', `the upload exceeds ${this.maxBytes} bytes`));
        }
      });
      body.on('error', (e) => finish(fail('IO', `upload interrupted: ${e.message}`)));
      out.on('error', (e) => finish(fail('IO', `cannot store the upload: ${e.message}`)));
      out.on('finish', () => finish(ok(n)));
      body.pipe(out);
    });
    if (!r.ok) {
      await rm(path, { force: true });
      return r;
    }
    await chmod(path, 0o400);
    upload.bytes += r.value;
    upload.names.add(name);
    upload.files.push({ path, name });
    return ok({ uploadId: id });
  }

  /**
   * The files of a completed upload (the upload can be opened once). It becomes the open case, so
   * the previously opened upload (the case it replaces) is deleted.
   */
  take(uploadId: string): EvidenceInput[] | undefined {
    const up = this.uploads.get(uploadId);
    if (!up) return undefined;
    this.uploads.delete(uploadId);
    const previous = this.opened;
    this.opened = up.dir;
    if (previous) {
      rm(previous, { recursive: true, force: true }).catch((e: unknown) => console.error(`runkey-hunter: cannot remove ${previous}: ${e instanceof Error ? e.message : String(e)}`));
    }
    return up.files;
  }

  async close(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
