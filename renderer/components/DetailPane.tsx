// The selected finding in full: where and what was written, every reason with its weight and
// ATT&CK ids, decoded PowerShell, the writer process, the correlation timeline (an item shows its
// event), every record of the write (Evidence: the primary record and each corroborating one from
// another source), the raw event and the suggested Sigma rule. All attacker-controlled strings are rendered
// as React text nodes; there is no HTML injection anywhere in the renderer.

import { useEffect, useState } from 'react';
import type { CorrelatedEvent, FindingEvents } from '../../shared/api';
import { evidenceRecovered, type Finding } from '../../shared/model/finding';
import { useSelectedFinding } from '../state/derived';
import { useCaseStore } from '../state/case-store';
import { call } from '../state/actions';
import { severityClass, severityLabel } from '../logic/severity';
import { formatUtc } from '../logic/format';
import { BASELINE_LABEL, RECOVERED_LABEL } from '../logic/columns';
import { locationText, sightingLabel, sightingText, type LaneItem } from '../logic/correlation-lanes';
import { CorrelationTimeline } from './CorrelationTimeline';
import { EventView, RawEvent, RecoveredBadge, refText } from './EventView';
import { SigmaRule } from './SigmaRule';
import { sigmaReasonLabel } from '../logic/sigma-settings';

function Fact({ label, value, mono }: { label: string; value: string | number | undefined; mono?: boolean }) {
  if (value === undefined || value === '') return null;
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined}>{String(value)}</dd>
    </div>
  );
}

function Reasons({ finding }: { finding: Finding }) {
  const sorted = [...finding.reasons].sort((a, b) => b.weight - a.weight);
  return (
    <ul className="reasons" aria-label="Reasons">
      {sorted.map((r, i) => {
        const sigma = sigmaReasonLabel(r);
        return (
        <li key={`${r.id}-${i}`} className={r.weight < 0 ? 'reason benign' : sigma ? 'reason sigma' : 'reason'}>
          <div className="reason-head">
            <span className="weight" title="Weight added to the score">
              {r.weight > 0 ? `+${r.weight}` : r.weight}
            </span>
            {sigma ? (
              <>
                <span className="sigma-badge" title="A community Sigma rule from the rules folder in Settings">
                  Sigma
                </span>
                <strong>{sigma.title}</strong>
                <span className="muted small mono" title="Sigma rule id">
                  {sigma.ruleId}
                </span>
              </>
            ) : (
              <>
                <strong>{r.title}</strong>
                <span className="muted small mono">{r.id}</span>
              </>
            )}
            {r.attack.map((t) => (
              <span key={t} className="attack-id">
                {t}
              </span>
            ))}
          </div>
          <p>{r.explanation}</p>
          {r.matched && (
            <p className="small">
              Matched: <code>{r.matched}</code>
            </p>
          )}
        </li>
        );
      })}
    </ul>
  );
}

/** The community rule a Sigma-only finding (basis 'sigma') was made from. */
function SigmaRuleFacts({ finding }: { finding: Finding }) {
  const r = finding.sigmaRule;
  if (!r) return null;
  return (
    <dl className="facts sigma-rule-facts">
      <Fact label="Rule" value={r.title} />
      <Fact label="Rule id" value={r.id} mono />
      <Fact label="Level" value={r.level} />
      <Fact label="Tags" value={r.tags.join(', ')} mono />
      <Fact label="Rule file" value={r.path} mono />
    </dl>
  );
}

/** The 4624 logon that carried a write made over the network (Remote Registry, WMI, PS remoting). */
function NetworkLogonFact({ finding }: { finding: Finding }) {
  const l = finding.correlation.networkLogon;
  if (!l) return null;
  const from = [l.sourceIp, l.workstation].filter(Boolean).join(' / ');
  return <Fact label="Network logon" value={`${l.account ?? '(no account)'}${from ? ` from ${from}` : ''}, type ${l.logonType}, ${formatUtc(l.time)} (${locationText(l.ref)})`} />;
}

function WriterProcess({ finding }: { finding: Finding }) {
  const w = finding.writer;
  return (
    <dl className="facts">
      <Fact label="Image" value={w.image} mono />
      <Fact label="Command line" value={w.commandLine} mono />
      <Fact label="PID" value={w.pid} />
      <Fact label="Process GUID" value={w.processGuid} mono />
      <Fact label="User" value={w.user} />
      <Fact label="Hashes" value={w.hashes} mono />
      <Fact label="Parent image" value={w.parentImage} mono />
      <Fact label="Parent command line" value={w.parentCommandLine} mono />
      <NetworkLogonFact finding={finding} />
    </dl>
  );
}

// Every record that shows this write: the one the finding was made from, the same write logged by
// other sources, and process starts whose command line shows it. Each record's raw text opens on demand.
function Evidence({ finding }: { finding: Finding }) {
  const also = finding.alsoSeenIn ?? [];
  const cmd = finding.correlation.commandLineSightings ?? [];
  return (
    <ul className="evidence-list" aria-label="Evidence records">
      <li>
        <span>
          Primary: {sightingLabel(finding.evidence)}, file {locationText(finding.evidence.ref)}
        </span>{' '}
        <RecoveredBadge evidenceRef={finding.evidence.ref} />
      </li>
      {also.map((s) => (
        <li key={s.key}>
          <span>{sightingText(s)} </span>
          <RecoveredBadge evidenceRef={s.ref} />
          <RawEvent evidenceRef={s.ref} label={`${sightingLabel(s)} record`} />
        </li>
      ))}
      {cmd.map((l) => (
        <li key={l.key}>
          <span>
            also shown by a command line ({formatUtc(l.time)}), file {locationText(l.ref)}: <code>{l.summary}</code>{' '}
          </span>
          <RecoveredBadge evidenceRef={l.ref} />
          <RawEvent evidenceRef={l.ref} label="command-line record" />
        </li>
      ))}
      {also.length === 0 && cmd.length === 0 && <li className="muted">No other record in the evidence shows this write.</li>}
    </ul>
  );
}

export function DetailPane() {
  const finding = useSelectedFinding();
  const openFalsePositive = useCaseStore((s) => s.openFalsePositive);
  const [events, setEvents] = useState<FindingEvents | null>(null);
  const [picked, setPicked] = useState<CorrelatedEvent | null>(null);
  const [pickedKey, setPickedKey] = useState<string | null>(null);
  const id = finding?.id;

  useEffect(() => {
    setEvents(null);
    setPicked(null);
    setPickedKey(null);
  }, [id]);

  async function pick(item: LaneItem): Promise<void> {
    if (!finding) return;
    setPickedKey(item.link.key);
    let ev = events;
    if (!ev || ev.findingId !== finding.id) {
      ev = (await call('finding.events', { findingId: finding.id })) ?? null;
      setEvents(ev);
    }
    const found = ev?.events.find((e) => e.link.key === item.link.key);
    setPicked(found ?? { role: item.role, link: item.link });
  }

  if (!finding) {
    return (
      <aside className="detail-pane empty" aria-label="Finding detail">
        <p className="muted">Select a finding to see why it was flagged, its writer, its timeline and a rule for it.</p>
      </aside>
    );
  }
  const f = finding;
  return (
    <aside className="detail-pane" aria-labelledby="detail-title">
      <div className="detail-head">
        <h2 id="detail-title" tabIndex={-1}>
          <span className={severityClass(f.severity)}>{severityLabel(f.severity)}</span> {f.locationTitle}
          {f.valueName ? `: ${f.valueName}` : ''}
          {evidenceRecovered(f) ? ' ' : null}
          <RecoveredBadge evidenceRef={f.evidence.ref} />
        </h2>
        <div className="row-actions">
          <span className="score">Score {f.score}</span>
          <button type="button" onClick={() => openFalsePositive(f.id)}>
            Mark as false positive…
          </button>
        </div>
      </div>

      {f.decodedPowerShell && (
        <section aria-labelledby="d-ps">
          <h3 id="d-ps">Decoded PowerShell</h3>
          <pre className="code-block" tabIndex={0} aria-label="Decoded PowerShell" data-testid="decoded-powershell">
            {f.decodedPowerShell}
          </pre>
        </section>
      )}

      {f.sigmaRule && (
        <section aria-labelledby="d-sigma-rule">
          <h3 id="d-sigma-rule">Sigma rule that fired</h3>
          <SigmaRuleFacts finding={f} />
        </section>
      )}

      <section aria-labelledby="d-what">
        <h3 id="d-what">What was written</h3>
        <dl className="facts">
          <Fact label="Key" value={f.registryKey} mono />
          <Fact label="Value name" value={f.valueName} mono />
          <Fact label="Value data" value={f.value} mono />
          <Fact label="Normalized" value={f.normalizedValue !== f.value ? f.normalizedValue : undefined} mono />
          <Fact label="Host" value={f.host} />
          <Fact label="User" value={f.user} />
          <Fact label="Time" value={formatUtc(f.time)} />
          <Fact label="Seen on" value={f.rarity ? `${f.rarity.hosts} of ${f.rarity.totalHosts} hosts, ${f.rarity.count} times${f.rarity.rare ? ' (rare)' : ''}` : undefined} />
          <Fact label="ATT&CK" value={f.attack.join(', ')} />
          <Fact
            label="Baseline"
            value={`${BASELINE_LABEL[f.baseline.status]}${f.baseline.entryId ? ` (${f.baseline.entryId}${f.baseline.reason ? `: ${f.baseline.reason}` : ''})` : ''}`}
          />
          <Fact label="Evidence" value={`${refText(f.evidence.ref)}${evidenceRecovered(f) ? ` (${RECOVERED_LABEL})` : ''}`} />
        </dl>
      </section>

      <section aria-labelledby="d-evidence">
        <h3 id="d-evidence">Evidence ({1 + (f.alsoSeenIn?.length ?? 0) + (f.correlation.commandLineSightings?.length ?? 0)} records)</h3>
        <Evidence finding={f} />
      </section>

      <section aria-labelledby="d-reasons">
        <h3 id="d-reasons">Why it was flagged ({f.reasons.length})</h3>
        <Reasons finding={f} />
      </section>

      <section aria-labelledby="d-writer">
        <h3 id="d-writer">Writer process</h3>
        <WriterProcess finding={f} />
      </section>

      <section aria-labelledby="d-timeline">
        <h3 id="d-timeline">Timeline</h3>
        <CorrelationTimeline finding={f} picked={pickedKey} onPick={(item) => void pick(item)} />
        {picked && <EventView event={picked} />}
      </section>

      <section aria-labelledby="d-raw">
        <h3 id="d-raw">Raw event</h3>
        <RawEvent evidenceRef={f.evidence.ref} label="raw event (XML / JSON)" />
      </section>

      <section aria-labelledby="d-sigma">
        <h3 id="d-sigma">Suggested Sigma rule</h3>
        <SigmaRule findingId={f.id} />
      </section>
    </aside>
  );
}
