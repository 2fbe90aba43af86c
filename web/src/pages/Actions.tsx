// The response-action log: every containment action attack disruption took (or would take).
import { api } from '../api';
import { useAsync } from '../hooks';
import { ErrorBox, Loading } from '../components/common';
import { ActionsTable } from '../components/ActionsTable';

export function ActionsPage() {
  const res = useAsync(() => api.actions(), []);
  const actions = [...(res.data?.actions ?? [])].sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0));
  return (
    <div className="page" data-testid="actions-page">
      <div className="page-head">
        <h1>Action log</h1>
        <span className="muted">{res.data ? `${actions.length} action${actions.length === 1 ? '' : 's'}` : ''}</span>
        <button type="button" className="ghost" onClick={res.reload}>
          ⟳ Refresh
        </button>
      </div>
      {res.error && <ErrorBox error={res.error} onRetry={res.reload} />}
      {!res.data && !res.error && <Loading what="actions" />}
      {res.data && <ActionsTable actions={actions} showIncident />}
    </div>
  );
}
