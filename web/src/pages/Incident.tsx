// One incident: the attack story (alerts along the seed's stages 1–9 and the graph of entities and
// alerts), the alerts with their evidence rows, the disruption actions, comments and history.
import { useMemo, useState } from 'react';
import { api } from '../api';
import { useAsync } from '../hooks';
import type { Alert, GraphNode, IncidentDetail } from '../types';
import { camelWords, fmtTime, shortHost } from '../format';
import { EntityList, ErrorBox, Link, Loading, SeverityBadge, StageChips, StatusBadge } from '../components/common';
import { StageTimeline } from '../components/StageTimeline';
import { EntityGraph } from '../components/EntityGraph';
import { AlertEvidence } from '../components/AlertEvidence';
import { ActionsTable } from '../components/ActionsTable';
import { CommentsPanel, ManagePanel } from '../components/ManagePanel';

type Tab = 'story' | 'alerts' | 'actions' | 'activity';

/** The alert a graph node stands for: its id is the alert's id, or `<prefix>:<alert id>`. */
function alertOfNode(node: GraphNode | undefined, alerts: ReadonlyMap<string, Alert>): string | undefined {
  if (!node) return undefined;
  if (alerts.has(node.id)) return node.id;
  const rest = node.id.slice(node.id.indexOf(':') + 1);
  return alerts.has(rest) ? rest : undefined;
}

export function IncidentPage({ id }: { id: string }) {
  const res = useAsync(() => api.incident(id), [id]);
  if (res.error) {
    return (
      <div className="page">
        <p>
          <Link to="/incidents">← Incidents</Link>
        </p>
        <ErrorBox error={res.error} onRetry={res.reload} />
      </div>
    );
  }
  if (!res.data) return <Loading what="incident" />;
  return <IncidentView detail={res.data} onChange={res.set} onReload={res.reload} />;
}

function IncidentView({ detail, onChange, onReload }: { detail: IncidentDetail; onChange(d: IncidentDetail): void; onReload(): void }) {
  const { incident, alerts, actions, timeline, stages, graph, history } = detail;
  const [tab, setTab] = useState<Tab>('story');
  const [selected, setSelected] = useState<string | undefined>(() => timeline[0]?.alertId ?? alerts[0]?.id);
  const alertMap = useMemo(() => new Map(alerts.map(a => [a.id, a])), [alerts]);
  const stageNames = useMemo(() => Object.fromEntries(stages.map(s => [s.stage, s.name])) as Record<number, string>, [stages]);
  const nodeOfAlert = useMemo(() => {
    const m = new Map<string, string>();
    for (const n of graph.nodes) {
      const a = alertOfNode(n, alertMap);
      if (a) m.set(a, n.id);
    }
    return m;
  }, [graph.nodes, alertMap]);
  const alertOrder = useMemo(() => timeline.map(t => nodeOfAlert.get(t.alertId) ?? t.alertId), [timeline, nodeOfAlert]);
  const sortedAlerts = useMemo(() => [...alerts].sort((a, b) => (a.firstActivity < b.firstActivity ? -1 : a.firstActivity > b.firstActivity ? 1 : 0)), [alerts]);
  const selectedAlert = selected ? alertMap.get(selected) : undefined;

  const openAlert = (alertId: string) => {
    setSelected(alertId);
    setTab('alerts');
  };

  const tabs: [Tab, string][] = [
    ['story', 'Attack story'],
    ['alerts', `Alerts (${alerts.length})`],
    ['actions', `Disruption (${actions.length})`],
    ['activity', `Activity (${incident.comments?.length ?? 0} comment${incident.comments?.length === 1 ? '' : 's'})`],
  ];

  return (
    <div className="page incident" data-testid="incident-page" data-incident-id={incident.id}>
      <div className="crumbs">
        <Link to="/incidents">← Incidents</Link>
        <button type="button" className="ghost" onClick={onReload}>
          ⟳ Refresh
        </button>
      </div>
      <div className="incident-head">
        <SeverityBadge severity={incident.severity} />
        <h1 data-testid="incident-title">{incident.title}</h1>
        <StatusBadge status={incident.status} />
      </div>
      <div className="incident-meta">
        <span>#{incident.id}</span>
        <span>
          {fmtTime(incident.firstActivity)} → {fmtTime(incident.lastActivity)} UTC
        </span>
        <span>
          {incident.alertCount ?? alerts.length} alert{(incident.alertCount ?? alerts.length) === 1 ? '' : 's'}
        </span>
        <span>
          Users: <EntityList items={incident.users} max={3} />
        </span>
        <span>
          Devices: <EntityList items={incident.devices} max={5} format={shortHost} />
        </span>
        <StageChips stages={incident.stages} names={stageNames} />
      </div>
      {incident.tactics.length > 0 && (
        <div className="tactic-row">
          {incident.tactics.map(t => (
            <span key={t} className="pill">
              {camelWords(t)}
            </span>
          ))}
          {incident.tags?.map(t => (
            <span key={t} className="pill tag">
              {t}
            </span>
          ))}
        </div>
      )}
      {incident.description && <p className="description">{incident.description}</p>}

      <div className="incident-body">
        <div className="incident-main">
          <nav className="tabs" role="tablist">
            {tabs.map(([t, label]) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'tab on' : 'tab'} onClick={() => setTab(t)} data-testid={`tab-${t}`}>
                {label}
              </button>
            ))}
          </nav>
          {tab === 'story' && (
            <>
              <StageTimeline stages={stages} timeline={timeline} selectedAlertId={selected} onSelectAlert={openAlert} />
              <h3 className="section">Entities and alerts</h3>
              <EntityGraph
                nodes={graph.nodes}
                edges={graph.edges}
                alertOrder={alertOrder}
                selectedNodeId={selected ? nodeOfAlert.get(selected) : undefined}
                onSelectAlert={nodeId => {
                  const a = alertOfNode(graph.nodes.find(n => n.id === nodeId), alertMap);
                  if (a) openAlert(a);
                }}
              />
            </>
          )}
          {tab === 'alerts' && (
            <div className="alerts-split">
              <ol className="alert-list" data-testid="alert-list">
                {sortedAlerts.map(a => (
                  <li key={a.id}>
                    <button type="button" className={a.id === selected ? 'alert-item selected' : 'alert-item'} onClick={() => setSelected(a.id)} data-testid="alert-item">
                      <SeverityBadge severity={a.severity} />
                      <span className="alert-item-title">{a.title}</span>
                      <span className="muted alert-item-meta">
                        {fmtTime(a.firstActivity)} · stage {a.stages.join(', ') || '—'}
                      </span>
                    </button>
                  </li>
                ))}
              </ol>
              <div className="alert-pane">{selectedAlert ? <AlertEvidence alert={selectedAlert} stageNames={stageNames} /> : <div className="muted">Select an alert.</div>}</div>
            </div>
          )}
          {tab === 'actions' && <ActionsTable actions={actions} />}
          {tab === 'activity' && (
            <div className="activity">
              <CommentsPanel detail={detail} onChange={onChange} />
              <div className="panel">
                <h3>History</h3>
                {history.length === 0 && <div className="muted">No changes yet.</div>}
                <ol className="history" data-testid="history">
                  {[...history].reverse().map((h, i) => (
                    <li key={i}>
                      <span className="muted">{fmtTime(h.time)}</span> <strong>{h.actor}</strong> {camelWords(h.change)}
                      {h.oldValue !== null && h.oldValue !== '' ? (
                        <>
                          : <span className="old">{h.oldValue}</span> → <span className="new">{h.newValue ?? '—'}</span>
                        </>
                      ) : h.newValue ? (
                        <>
                          : <span className="new">{h.newValue}</span>
                        </>
                      ) : null}
                    </li>
                  ))}
                </ol>
              </div>
            </div>
          )}
        </div>
        <aside className="incident-side">
          <ManagePanel detail={detail} onChange={onChange} />
          <div className="panel">
            <h3>Disruption</h3>
            {actions.length === 0 && <div className="muted">No actions taken.</div>}
            <ul className="mini-actions">
              {actions.slice(0, 8).map(a => (
                <li key={a.id}>
                  <span className={`pill action-${a.status}`}>{camelWords(a.status)}</span> {camelWords(a.action)} <span className="muted">{a.target.value}</span>
                </li>
              ))}
            </ul>
            {actions.length > 8 && (
              <button type="button" className="ghost" onClick={() => setTab('actions')}>
                All {actions.length} actions
              </button>
            )}
          </div>
        </aside>
      </div>
    </div>
  );
}
