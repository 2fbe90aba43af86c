// The attack-disruption actions (the response-action log).
import type { ResponseAction } from '../types';
import { camelWords, fmtTime } from '../format';
import { Link } from './common';

export function ActionsTable({ actions, showIncident = false }: { actions: readonly ResponseAction[]; showIncident?: boolean }) {
  if (!actions.length) return <div className="muted empty" data-testid="actions-empty">No response actions.</div>;
  return (
    <div className="table-wrap">
      <table className="queue" data-testid="actions-table">
        <thead>
          <tr>
            <th>Time</th>
            {showIncident && <th>Incident</th>}
            <th>Action</th>
            <th>Target</th>
            <th>Status</th>
            <th>Policy</th>
            <th>Responder</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {actions.map(a => (
            <tr key={a.id} data-testid="action-row">
              <td className="time">{fmtTime(a.timestamp)}</td>
              {showIncident && <td>{a.incidentId ? <Link to={`/incidents/${encodeURIComponent(a.incidentId)}`}>#{a.incidentId}</Link> : ''}</td>}
              <td>
                <strong>{camelWords(a.action)}</strong>
              </td>
              <td>
                <span className="muted">{a.target.kind}:</span> {a.target.value}
              </td>
              <td>
                <span className={`pill action-${a.status}`}>{camelWords(a.status)}</span>
              </td>
              <td>
                <code>{a.policyId}</code>
              </td>
              <td>{a.responder}</td>
              <td className="wrap">{a.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
