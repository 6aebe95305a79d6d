// A labelled progress bar: the native <progress> element (accessible), with the figures as text.

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const known = max > 0;
  return (
    <progress className="progress" aria-label={label} value={known ? Math.min(value, max) : undefined} max={known ? max : undefined} />
  );
}
