// The selected finding's story on one time axis: the writer's process chain, the payload file
// being created, the registry write, later executions of the payload, and the deletion. Each item
// is a focusable mark with its exact UTC time on hover; activating it shows that event. A key renamed
// into place gets a lane for its creation; the write's mark names the other logs that recorded the
// same write ("+ Security 4657").

import { useEffect, useMemo, useState } from 'react';
import type { Finding } from '../../shared/model/finding';
import { correlationLanes, laneTimes, type LaneItem } from '../logic/correlation-lanes';
import { domainOf, scaleTime, type TimeDomain } from '../logic/time-axis';
import { formatUtc } from '../logic/format';
import { TickAxis, ZoomControls } from './TimeAxis';
import { useWidth } from './useWidth';

const LANE_H = 30;
const LABEL_W = 150;
const PAD_R = 16;

export function CorrelationTimeline({ finding, picked, onPick }: { finding: Finding; picked: string | null; onPick: (item: LaneItem) => void }) {
  const lanes = useMemo(() => correlationLanes(finding), [finding]);
  const fit = useMemo(() => domainOf(laneTimes(lanes), 0.08), [lanes]);
  const [domain, setDomain] = useState<TimeDomain>(fit);
  useEffect(() => setDomain(fit), [fit]);
  const [ref, width] = useWidth<HTMLDivElement>(520);
  const plotW = Math.max(100, width - LABEL_W - PAD_R);
  const height = lanes.length * LANE_H + 24;
  const related = lanes.reduce((n, l) => n + (l.id === 'write' ? 0 : l.items.length), 0);

  return (
    <div className="correlation" ref={ref}>
      <ZoomControls domain={domain} onChange={setDomain} onReset={() => setDomain(fit)} label="Correlation timeline" />
      <svg className="timeline-svg" width={width} height={height} role="group" aria-label={`Correlation timeline: ${related} related events`}>
        <TickAxis domain={domain} width={plotW} x0={LABEL_W} y={0} height={lanes.length * LANE_H} />
        {lanes.map((lane, li) => (
          <g key={lane.id} className={`lane lane-${lane.id}`}>
            <rect x={0} y={li * LANE_H} width={width} height={LANE_H} className={li % 2 ? 'lane-bg odd' : 'lane-bg'} />
            <text x={6} y={li * LANE_H + LANE_H / 2 + 4} className="lane-label">
              {lane.title}
              {lane.items.length === 0 ? ' (none)' : ''}
            </text>
            {lane.items.map((item, i) => {
              const t = Date.parse(item.link.time);
              if (!Number.isFinite(t) || t < domain.start || t > domain.end) return null;
              const x = LABEL_W + scaleTime(domain, plotW, t);
              const y = li * LANE_H + LANE_H / 2;
              const isPicked = picked === item.link.key;
              const also = item.alsoSeen.length ? ` (+ ${item.alsoSeen.join(', + ')})` : '';
              return (
                <g
                  key={`${item.link.key}-${i}`}
                  className={`mark role-${item.role}${isPicked ? ' picked' : ''}`}
                  role="button"
                  tabIndex={0}
                  aria-label={`${lane.title}: ${item.link.summary} at ${formatUtc(item.link.time)}${also}`}
                  aria-pressed={isPicked}
                  onClick={() => onPick(item)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      onPick(item);
                    }
                  }}
                >
                  <title>{`${formatUtc(item.link.time)}\n${item.link.summary}${item.alsoSeen.length ? `\nalso seen in ${item.alsoSeen.join(', ')}` : ''}`}</title>
                  <circle cx={x} cy={y} r={7} />
                  {item.alsoSeen.length > 0 && (
                    <text x={x + 11} y={y + 4} className="also-seen" aria-hidden="true">
                      {item.alsoSeen.map((a) => `+ ${a}`).join('  ')}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    </div>
  );
}
