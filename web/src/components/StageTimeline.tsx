// The attack story: the incident's alerts laid along the seed's nine stages, one lane per stage,
// the covered lanes highlighted and listing their alerts in time order.
import type { StageCoverage, TimelineEntry } from '../types';
import { fmtClock, fmtTime } from '../format';

export interface StageTimelineProps {
  stages: readonly StageCoverage[];
  timeline: readonly TimelineEntry[];
  selectedAlertId?: string;
  onSelectAlert(alertId: string): void;
}

export function StageTimeline({ stages, timeline, selectedAlertId, onSelectAlert }: StageTimelineProps) {
  const lanes = [...stages].sort((a, b) => a.stage - b.stage);
  const sorted = [...timeline].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const unstaged = sorted.filter(e => !e.stages.length);
  const covered = lanes.filter(s => s.covered).length;
  const days = new Set(sorted.map(e => e.time.slice(0, 10)));
  const when = (t: string) => (days.size > 1 ? `${t.slice(5, 10)} ${fmtClock(t)}` : fmtClock(t));

  return (
    <div className="story" data-testid="stage-timeline">
      <div className="story-head">
        <span>
          <strong>{covered}</strong> of {lanes.length} stages of the intrusion chain covered by {timeline.length} alert{timeline.length === 1 ? '' : 's'}
        </span>
        {sorted.length > 0 && (
          <span className="muted">
            {fmtTime(sorted[0]!.time)} → {fmtTime(sorted[sorted.length - 1]!.time)} UTC
          </span>
        )}
      </div>
      <div className="lanes">
        {lanes.map(s => {
          const entries = sorted.filter(e => e.stages.includes(s.stage));
          return (
            <section
              key={s.stage}
              className={s.covered ? 'lane covered' : 'lane'}
              data-testid={`stage-${s.stage}`}
              data-covered={s.covered ? 'true' : 'false'}
              aria-label={`Stage ${s.stage}: ${s.name}${s.covered ? ' (covered)' : ''}`}
            >
              <header>
                <span className="lane-num">{s.stage}</span>
                <span className="lane-name">{s.name}</span>
              </header>
              <div className="lane-first">{s.firstSeen ? when(s.firstSeen) : s.covered ? '' : 'not observed'}</div>
              <ol className="lane-alerts">
                {entries.map(e => (
                  <li key={e.alertId}>
                    <button
                      type="button"
                      className={`lane-alert sev-edge-${e.severity}${e.alertId === selectedAlertId ? ' selected' : ''}`}
                      onClick={() => onSelectAlert(e.alertId)}
                      title={`${fmtTime(e.time)} · ${e.severity} · ${e.title}`}
                      data-testid="timeline-alert"
                    >
                      <span className="lane-time">{when(e.time)}</span>
                      <span className="lane-title">{e.title}</span>
                    </button>
                  </li>
                ))}
              </ol>
            </section>
          );
        })}
      </div>
      {unstaged.length > 0 && (
        <div className="unstaged">
          <span className="muted">Other alerts:</span>
          {unstaged.map(e => (
            <button key={e.alertId} type="button" className={`lane-alert inline sev-edge-${e.severity}`} onClick={() => onSelectAlert(e.alertId)} data-testid="timeline-alert">
              <span className="lane-time">{when(e.time)}</span> {e.title}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
