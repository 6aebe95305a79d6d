// The suggested Sigma rule for a finding, written by the back half's exporter, with a copy button.

import { useEffect, useState } from 'react';
import { tryCall } from '../state/actions';

export function SigmaRule({ findingId }: { findingId: string }) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    let live = true;
    setText(null);
    setError('');
    setCopied(false);
    void tryCall('export.findings', { format: 'sigma', findingIds: [findingId] }).then((r) => {
      if (!live) return;
      setText(r.ok ? r.value.text : '');
      setError(r.ok ? '' : `${r.error.message} [${r.error.code}]`);
    });
    return () => {
      live = false;
    };
  }, [findingId]);

  async function copy(): Promise<void> {
    if (text === null) return;
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch (e) {
      console.warn('clipboard refused', e);
      setCopied(false);
    }
  }

  if (text === null) return <p className="muted">Writing the rule…</p>;
  if (!text) return <p className="muted">No rule could be written for this finding{error ? `: ${error}` : '.'}</p>;
  return (
    <div className="sigma-rule">
      <div className="row-actions">
        <button type="button" onClick={() => void copy()}>
          Copy rule
        </button>
        <span role="status" className="muted small">
          {copied ? 'Copied to the clipboard' : ''}
        </span>
      </div>
      <pre className="code-block" tabIndex={0} aria-label="Suggested Sigma rule" data-testid="sigma-rule">
        {text}
      </pre>
    </div>
  );
}
