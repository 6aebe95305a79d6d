// The last error from the back half, announced to screen readers, until dismissed.

import { useCaseStore } from '../state/case-store';

export function StatusLine() {
  const error = useCaseStore((s) => s.error);
  const setError = useCaseStore((s) => s.setError);
  if (!error) return <div className="sr-only" role="status" aria-live="polite" />;
  return (
    <div className="status-line" role="alert">
      <span>{error}</span>
      <button type="button" onClick={() => setError(null)}>
        Dismiss
      </button>
    </div>
  );
}
