// Files from a drop. A dropped folder arrives in the browser as a directory entry; it is walked so
// every file is uploaded with its path relative to the drop ("case/host1/Sysmon.evtx"), the same
// shape <input webkitdirectory> gives. In Electron the dropped File objects (folders included) go
// to the preload as they are: the main process resolves their paths and reads folders itself.

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function withRelativePath(file: File, path: string): File {
  Object.defineProperty(file, 'webkitRelativePath', { value: path, configurable: true });
  return file;
}

async function walk(entry: FileSystemEntry, out: File[]): Promise<void> {
  if (entry.isFile) {
    const f = await fileOf(entry as FileSystemFileEntry);
    out.push(withRelativePath(f, entry.fullPath.replace(/^\/+/, '')));
    return;
  }
  if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns at most ~100 entries per call: keep reading until it returns none
    for (;;) {
      const batch = await readEntries(reader);
      if (batch.length === 0) break;
      for (const e of batch) await walk(e, out);
    }
  }
}

export async function filesFromDrop(dt: DataTransfer, host: 'electron' | 'browser'): Promise<File[]> {
  if (host === 'electron') return Array.from(dt.files);
  const entries = Array.from(dt.items)
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return Array.from(dt.files);
  const out: File[] = [];
  for (const e of entries) await walk(e, out);
  return out;
}
