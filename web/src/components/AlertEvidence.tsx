// One alert: what it says, its entities, and the raw telemetry rows behind it (GET /api/alerts/{id}).
import { api } from '../api';
import { useAsync } from '../hooks';
import type { Alert } from '../types';
import { camelWords, fmtTime } from '../format';
import { DataGrid, RecordView } from './DataGrid';
import { ErrorBox, Loading, SeverityBadge } from './common';
import { kindStyle } from './EntityGraph';

export function AlertEvidence({ alert, stageNames }: { alert: Alert; stageNames: Record<number, string> }) {
  const ev = useAsync(() => api.alert(alert.id), [alert.id]);
  return (
    <div className="alert-detail" data-testid="alert-detail" data-alert-id={alert.id}>
      <div className="alert-detail-head">
        <SeverityBadge severity={alert.severity} />
        <h3>{alert.title}</h3>
      </div>
      <dl className="facts">
        <dt>Activity</dt>
        <dd>
          {fmtTime(alert.firstActivity)}
          {alert.lastActivity && alert.lastActivity !== alert.firstActivity ? ` → ${fmtTime(alert.lastActivity)}` : ''} UTC
        </dd>
        <dt>Rule</dt>
        <dd>
          <code>{alert.ruleId}</code> · {camelWords(alert.category)}
        </dd>
        <dt>Stages</dt>
        <dd>{alert.stages.map(s => `${s}. ${stageNames[s] ?? ''}`).join(' · ') || '—'}</dd>
        <dt>MITRE</dt>
        <dd>
          {alert.tactics.map(camelWords).join(', ')}
          {alert.techniques.length ? ` · ${alert.techniques.join(', ')}` : ''}
        </dd>
        {alert.responseActions?.length > 0 && (
          <>
            <dt>Response</dt>
            <dd>{alert.responseActions.join(', ')}</dd>
          </>
        )}
      </dl>
      {alert.description && <p className="description">{alert.description}</p>}
      <div className="entity-chips">
        {alert.entities.map((e, i) => (
          <span key={i} className="entity-chip" title={`${e.kind}: ${e.value}`}>
            <span className="legend-dot" style={{ background: kindStyle(e.kind).color }} />
            {e.value}
          </span>
        ))}
      </div>
      <h4>Evidence</h4>
      {ev.error && <ErrorBox error={ev.error} onRetry={ev.reload} />}
      {!ev.data && !ev.error && <Loading what="evidence" />}
      {ev.data?.evidence.map((t, i) => (
        <div key={i} className="evidence" data-testid="evidence-table" data-table={t.table}>
          <div className="evidence-head">
            <strong>{t.table}</strong> <span className="muted">{t.rows.length} row{t.rows.length === 1 ? '' : 's'}</span>
          </div>
          {t.rows.length <= 3 ? <RecordView columns={t.columns} rows={t.rows} testId="evidence-grid" /> : <DataGrid columns={t.columns} rows={t.rows} testId="evidence-grid" maxHeight={300} />}
        </div>
      ))}
      {ev.data && !ev.data.evidence.length && <div className="muted">No evidence rows stored for this alert.</div>}
    </div>
  );
}
