// Upload roots are named for their owner process, and a new store removes the roots of owners
// that are gone: only folders in that exact pattern owned by this user; a live owner's root,
// roots without an owner in the name (older versions), files, links (and what they point to)
// and everything else in the parent are left alone.

import { describe, expect, it } from 'vitest';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UploadStore, uploadRootOwner } from '../../../electron/browser-host/uploads';
import { ownIdentity } from '../../../electron/backend/process-liveness';
import { tempDir } from '../backend/helpers';
import { deadPid } from '../backend/spawn-fixture';

describe('upload roots', () => {
  it('are named for this process', async () => {
    const parent = await tempDir('up');
    try {
      const store = await UploadStore.create(1024, parent);
      const name = store.root.split('/').pop() ?? '';
      expect(uploadRootOwner(name)).toEqual(ownIdentity());
      await store.close();
      expect(await readdir(parent)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('a new store removes the roots of dead and reused pids, with their uploads, and nothing else', async () => {
    const parent = await tempDir('up');
    try {
      const dead = await deadPid();
      const me = ownIdentity();
      const gone = [`runkey-hunter-uploads-${dead}-AbC123`, `runkey-hunter-uploads-${dead}.4242-xYz789`];
      if (me.start) gone.push(`runkey-hunter-uploads-${me.pid}.${Number(me.start) + 7}-reUSE1`); // our pid, an earlier process
      const kept = [
        `runkey-hunter-uploads-${process.ppid}-live01`, // the owner runs
        'runkey-hunter-uploads-Q1w2E3', // an older version's root: owner unknown
        `runkey-hunter-uploads-${dead}-toolong1`,
        `other-${dead}-AbC123`,
      ];
      for (const d of [...gone, ...kept]) await mkdir(join(parent, d));
      await mkdir(join(parent, gone[0], 'upload1'));
      await writeFile(join(parent, gone[0], 'upload1', '00000.bin'), 'evidence copy');
      const outside = await tempDir('up-target');
      await writeFile(join(outside, 'precious'), 'keep me');
      await symlink(outside, join(parent, `runkey-hunter-uploads-${dead}-Link01`));
      await writeFile(join(parent, `runkey-hunter-uploads-${dead}-File01`), 'a file, not a root');
      kept.push(`runkey-hunter-uploads-${dead}-Link01`, `runkey-hunter-uploads-${dead}-File01`);
      const store = await UploadStore.create(1024, parent);
      const now = (await readdir(parent)).sort();
      expect(now).toEqual([...kept, store.root.split('/').pop() ?? ''].sort());
      expect(await readdir(outside)).toEqual(['precious']);
      await store.close();
      await rm(outside, { recursive: true, force: true });
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
