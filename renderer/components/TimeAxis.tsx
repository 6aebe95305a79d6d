// The shared pieces of the SVG timelines: a zoom / pan toolbar and the tick axis. Positions come
// from logic/time-axis; exact UTC times are in <title> elements (shown on hover).

import type { TimeDomain } from '../logic/time-axis';
import { scaleTime, tickLabel, tickStep, ticks, zoom, pan } from '../logic/time-axis';
import { formatUtcMs } from '../logic/format';

export function ZoomControls({ domain, onChange, onReset, label }: { domain: TimeDomain; onChange: (d: TimeDomain) => void; onReset: () => void; label: string }) {
  const mid = (domain.start + domain.end) / 2;
  const span = domain.end - domain.start;
  return (
    <div className="zoom-controls" role="group" aria-label={`${label} zoom`}>
      <button type="button" onClick={() => onChange(zoom(domain, 2, mid))} aria-label="Zoom in">
        +
      </button>
      <button type="button" onClick={() => onChange(zoom(domain, 0.5, mid))} aria-label="Zoom out">
        −
      </button>
      <button type="button" onClick={() => onChange(pan(domain, -span / 4))} aria-label="Earlier">
        ◀
      </button>
      <button type="button" onClick={() => onChange(pan(domain, span / 4))} aria-label="Later">
        ▶
      </button>
      <button type="button" onClick={onReset}>
        Fit
      </button>
      <span className="muted small">
        {formatUtcMs(domain.start)} – {formatUtcMs(domain.end)}
      </span>
    </div>
  );
}

export function TickAxis({ domain, width, x0, y, height }: { domain: TimeDomain; width: number; x0: number; y: number; height: number }) {
  const maxTicks = Math.max(2, Math.floor(width / 90));
  const step = tickStep(domain, maxTicks);
  return (
    <g className="axis" aria-hidden="true">
      {ticks(domain, maxTicks).map((t) => {
        const x = x0 + scaleTime(domain, width, t);
        return (
          <g key={t}>
            <line x1={x} x2={x} y1={y} y2={y + height} className="grid-line" />
            <text x={x} y={y + height + 14} className="tick-label" textAnchor="middle">
              {tickLabel(t, step)}
            </text>
          </g>
        );
      })}
    </g>
  );
}
