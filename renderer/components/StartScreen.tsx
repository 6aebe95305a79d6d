// The start screen: drop files or folders, pick them, or open the demo case.

import { useRef, useState, type DragEvent } from 'react';
import { useCaseStore } from '../state/case-store';
import { openDemo, openFiles } from '../state/actions';
import { filesFromDrop } from '../client/dropped-files';
import { formatBytes } from '../logic/format';
import type { UploadProgress } from '../../shared/api';

export function StartScreen() {
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [sent, setSent] = useState<UploadProgress | null>(null);
  const info = useCaseStore((s) => s.info);
  const client = useCaseStore((s) => s.client);

  async function run(label: string, task: () => Promise<void>): Promise<void> {
    setBusy(label);
    try {
      await task();
    } finally {
      setBusy(null);
      setSent(null);
    }
  }

  /** Uploads (browser host) with a byte bar; Electron opens the files in place at once. */
  const upload = (files: File[]) => run('Uploading…', () => openFiles(files, setSent));

  async function onDrop(e: DragEvent<HTMLElement>): Promise<void> {
    e.preventDefault();
    setOver(false);
    const files = await filesFromDrop(e.dataTransfer, client?.host ?? 'browser');
    if (files.length) await upload(files);
  }

  return (
    <section className="start" aria-labelledby="start-title">
      <h2 id="start-title">Hunt Run-key persistence in offline evidence</h2>
      <p className="muted">
        Sysmon and Security EVTX, XML / JSON / CSV exports and Defender advanced-hunting CSV. Evidence is read-only: nothing is
        written beside it.
      </p>
      <div
        className={over ? 'drop-zone over' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => void onDrop(e)}
      >
        <p className="drop-title">Drop evidence files or folders here</p>
        <div className="start-actions">
          <button type="button" className="primary" disabled={!!busy} onClick={() => fileInput.current?.click()}>
            Open evidence…
          </button>
          <button type="button" disabled={!!busy} onClick={() => folderInput.current?.click()}>
            Open folder…
          </button>
          <button type="button" disabled={!!busy} onClick={() => void run('Opening the demo case…', openDemo)}>
            Open demo case
          </button>
        </div>
        {busy && (
          <p role="status" className="muted">
            {busy}
            {sent && sent.totalBytes > 0 ? ` ${Math.floor((sent.sentBytes / sent.totalBytes) * 100)} % (${formatBytes(sent.sentBytes)} of ${formatBytes(sent.totalBytes)})` : null}
          </p>
        )}
        {busy && sent && sent.totalBytes > 0 ? (
          <progress className="upload-progress" aria-label="Upload" data-testid="upload-progress" max={sent.totalBytes} value={sent.sentBytes} />
        ) : null}
        {info?.maxUploadBytes ? <p className="muted small">Largest upload: {formatBytes(info.maxUploadBytes)} per case.</p> : null}
      </div>
      <input
        ref={fileInput}
        className="visually-hidden-input"
        type="file"
        multiple
        aria-label="Evidence files"
        data-testid="file-input"
        tabIndex={-1}
        onChange={(e) => {
          const files = e.target.files ? Array.from(e.target.files) : [];
          e.target.value = '';
          if (files.length) void upload(files);
        }}
      />
      <input
        ref={(el) => {
          folderInput.current = el;
          if (el) el.setAttribute('webkitdirectory', '');
        }}
        className="visually-hidden-input"
        type="file"
        multiple
        aria-label="Evidence folder"
        data-testid="folder-input"
        tabIndex={-1}
        onChange={(e) => {
          const files = e.target.files ? Array.from(e.target.files) : [];
          e.target.value = '';
          if (files.length) void upload(files);
        }}
      />
    </section>
  );
}
