// Every finding of the case in time, one swimlane per host, filterable by host and severity.
// Activating a mark selects that finding and goes to the findings view. At most MAX_MARKS marks are
// drawn (the most severe first) so a huge case stays responsive; the rest are counted.

import { useEffect, useMemo, useState } from 'react';
import type { Finding, Severity } from '../../shared/model/finding';
import { severityRank } from '../../shared/model/finding';
import { useCaseStore } from '../state/case-store';
import { domainOf, scaleTime, type TimeDomain } from '../logic/time-axis';
import { SEVERITIES_DESC, severityClass, severityLabel } from '../logic/severity';
import { formatUtc, plural } from '../logic/format';
import { TickAxis, ZoomControls } from './TimeAxis';
import { useWidth } from './useWidth';

const MAX_MARKS = 4000;
const LANE_H = 26;
const LABEL_W = 140;

export function CaseTimeline() {
  const all = useCaseStore((s) => s.findings);
  const select = useCaseStore((s) => s.select);
  const setView = useCaseStore((s) => s.setView);
  const showBaselined = useCaseStore((s) => s.filters.showBaselined);
  const [hostFilter, setHostFilter] = useState('');
  const [sevs, setSevs] = useState<Severity[]>([]);

  const visible = useMemo(() => {
    const q = hostFilter.trim().toLowerCase();
    return all.filter(
      (f) => Number.isFinite(f.timeMs) && (showBaselined || f.baseline.status !== 'baselined') && (!q || f.host.toLowerCase().includes(q)) && (sevs.length === 0 || sevs.includes(f.severity)),
    );
  }, [all, hostFilter, sevs, showBaselined]);
  const drawn: Finding[] = useMemo(
    () => (visible.length <= MAX_MARKS ? visible : [...visible].sort((a, b) => severityRank(b.severity) - severityRank(a.severity)).slice(0, MAX_MARKS)),
    [visible],
  );
  const hosts = useMemo(() => [...new Set(drawn.map((f) => f.host))].sort(), [drawn]);
  const fit = useMemo(() => domainOf(drawn.map((f) => f.timeMs)), [drawn]);
  const [domain, setDomain] = useState<TimeDomain>(fit);
  useEffect(() => setDomain(fit), [fit]);
  const [ref, width] = useWidth<HTMLDivElement>(900);
  const plotW = Math.max(100, width - LABEL_W - 16);
  const laneOf = new Map(hosts.map((h, i) => [h, i]));

  function open(f: Finding): void {
    select(f.id);
    setView('findings');
  }

  return (
    <section className="case-timeline" aria-labelledby="ct-title">
      <h2 id="ct-title">Case timeline</h2>
      <div className="filter-row">
        <label className="field inline">
          <span>Host</span>
          <input type="text" value={hostFilter} onChange={(e) => setHostFilter(e.target.value)} />
        </label>
        <div className="sev-chips" role="group" aria-label="Severity">
          {SEVERITIES_DESC.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip ${severityClass(s)}${sevs.includes(s) ? ' on' : ''}`}
              aria-pressed={sevs.includes(s)}
              onClick={() => setSevs(sevs.includes(s) ? sevs.filter((x) => x !== s) : [...sevs, s])}
            >
              {severityLabel(s)}
            </button>
          ))}
        </div>
        <span className="muted small">
          {plural(visible.length, 'finding')} on {plural(hosts.length, 'host')}
          {visible.length > drawn.length ? ` (the ${drawn.length} most severe drawn)` : ''}
        </span>
      </div>
      <div className="ct-plot" ref={ref}>
        <ZoomControls domain={domain} onChange={setDomain} onReset={() => setDomain(fit)} label="Case timeline" />
        <svg className="timeline-svg" width={width} height={hosts.length * LANE_H + 24} role="group" aria-label={`Findings over time on ${hosts.length} hosts`}>
          <TickAxis domain={domain} width={plotW} x0={LABEL_W} y={0} height={hosts.length * LANE_H} />
          {hosts.map((h, i) => (
            <g key={h}>
              <rect x={0} y={i * LANE_H} width={width} height={LANE_H} className={i % 2 ? 'lane-bg odd' : 'lane-bg'} />
              <text x={6} y={i * LANE_H + LANE_H / 2 + 4} className="lane-label">
                {h.length > 18 ? `${h.slice(0, 17)}…` : h}
              </text>
            </g>
          ))}
          {drawn.map((f) => {
            if (f.timeMs < domain.start || f.timeMs > domain.end) return null;
            const x = LABEL_W + scaleTime(domain, plotW, f.timeMs);
            const y = (laneOf.get(f.host) ?? 0) * LANE_H + LANE_H / 2;
            return (
              <g
                key={f.id}
                className={`mark sev-mark-${f.severity}`}
                role="button"
                tabIndex={0}
                aria-label={`${severityLabel(f.severity)} on ${f.host} at ${formatUtc(f.time)}: ${f.valueName ?? ''} ${f.value}`}
                onClick={() => open(f)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    open(f);
                  }
                }}
              >
                <title>{`${formatUtc(f.time)} · ${severityLabel(f.severity)} · ${f.host}\n${f.valueName ?? ''} = ${f.value}`}</title>
                <circle cx={x} cy={y} r={6} />
              </g>
            );
          })}
        </svg>
      </div>
    </section>
  );
}
