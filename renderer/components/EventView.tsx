// One correlated event: its normalized fields labelled from the field table, and its raw record
// (XML / JSON / CSV) fetched on demand from the evidence. Everything is text.

import { useEffect, useState } from 'react';
import type { CorrelatedEvent, RawRecord } from '../../shared/api';
import type { EvidenceRef } from '../../shared/model/raw-event';
import { getPath, rowsFor } from '../../shared/model/field-table';
import { call } from '../state/actions';
import { formatUtc } from '../logic/format';
import { locationText, sightingLabel } from '../logic/correlation-lanes';
import { RECOVERED_LABEL } from '../logic/columns';

export const refText = locationText;

/** The badge of a record carved from EVTX slack or a headerless chunk (ref.recovered); nothing for an allocated one. */
export function RecoveredBadge({ evidenceRef }: { evidenceRef: EvidenceRef }) {
  if (evidenceRef.recovered !== true) return null;
  return (
    <span className="recovered-badge" title="Carved from the chunk's slack or from a chunk whose header is gone: the log no longer lists this record">
      {RECOVERED_LABEL}
    </span>
  );
}

export function RawEvent({ evidenceRef, label }: { evidenceRef: EvidenceRef; label: string }) {
  const [raw, setRaw] = useState<RawRecord | null>(null);
  const [loading, setLoading] = useState(false);
  const refKey = JSON.stringify(evidenceRef);
  useEffect(() => setRaw(null), [refKey]);

  async function load(): Promise<void> {
    setLoading(true);
    try {
      setRaw((await call('record.raw', { ref: evidenceRef })) ?? null);
    } finally {
      setLoading(false);
    }
  }

  if (!raw) {
    return (
      <button type="button" onClick={() => void load()} disabled={loading}>
        {loading ? 'Loading…' : `Show ${label}`}
      </button>
    );
  }
  return (
    <div className="raw-event">
      <p className="muted small">
        {raw.syntax.toUpperCase()} from {refText(raw.ref)}
        {raw.truncated ? ' (cut short: very long record)' : ''}
      </p>
      <pre className="code-block" tabIndex={0} aria-label={`Raw ${raw.syntax} record`}>
        {raw.text}
      </pre>
    </div>
  );
}

export function EventView({ event }: { event: CorrelatedEvent }) {
  const ev = event.event;
  return (
    <div className="event-view">
      <h4>
        {event.link.summary} <span className="muted small">({formatUtc(event.link.time)})</span>
      </h4>
      {ev ? (
        <dl className="facts">
          {rowsFor(ev.kind).map((row) => {
            const v = getPath(ev, row.path);
            if (v === undefined || v === null || v === '') return null;
            return (
              <div key={row.path} className="fact">
                <dt>{row.label}</dt>
                <dd>{String(v)}</dd>
              </div>
            );
          })}
        </dl>
      ) : (
        <p className="muted">The case no longer holds this event's fields; the raw record is still in the evidence.</p>
      )}
      <p className="muted small">
        Source: {refText(event.link.ref)} <RecoveredBadge evidenceRef={event.link.ref} />
      </p>
      <RawEvent evidenceRef={event.link.ref} label="raw event" />
      {event.link.alsoSeenIn?.length ? (
        <ul className="evidence-list" aria-label="Same event in other sources">
          {event.link.alsoSeenIn.map((s) => (
            <li key={s.key}>
              <span>
                Also seen in {sightingLabel(s)}, file {refText(s.ref)}{' '}
              </span>
              <RawEvent evidenceRef={s.ref} label={`${sightingLabel(s)} record`} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
