// The incident queue: filter by status, severity and text (answered by the API), sort by any column.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api';
import { useAsync } from '../hooks';
import type { IncidentSummary } from '../types';
import { SEVERITIES, STATUSES } from '../types';
import { camelWords, fmtTime, SEVERITY_RANK, severityLabel, shortHost, statusLabel } from '../format';
import { EntityList, ErrorBox, Link, Loading, SeverityBadge, StageChips, StatusBadge } from '../components/common';

type SortKey = 'severity' | 'title' | 'status' | 'stages' | 'users' | 'devices' | 'firstActivity' | 'lastActivity' | 'alertCount';

const STATUS_RANK: Record<string, number> = { active: 0, inProgress: 1, redirected: 2, resolved: 3 };

function compare(a: IncidentSummary, b: IncidentSummary, key: SortKey): number {
  switch (key) {
    case 'severity':
      return (SEVERITY_RANK[a.severity] ?? 0) - (SEVERITY_RANK[b.severity] ?? 0);
    case 'status':
      return (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9);
    case 'stages':
      return a.stages.length - b.stages.length || Math.min(...a.stages, 10) - Math.min(...b.stages, 10);
    case 'users':
      return a.users.length - b.users.length;
    case 'devices':
      return a.devices.length - b.devices.length;
    case 'alertCount':
      return a.alertCount - b.alertCount;
    case 'title':
      return a.title.localeCompare(b.title);
    default:
      return a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;
  }
}

function Toggle<T extends string>({ options, value, onChange, label, render, testId }: {
  options: readonly T[];
  value: T[];
  onChange(v: T[]): void;
  label: string;
  render(v: T): string;
  testId: string;
}) {
  return (
    <div className="toggle-group" role="group" aria-label={label} data-testid={testId}>
      <span className="toggle-label">{label}</span>
      {options.map(o => {
        const on = value.includes(o);
        return (
          <button
            key={o}
            type="button"
            className={on ? 'toggle on' : 'toggle'}
            aria-pressed={on}
            data-value={o}
            onClick={() => onChange(on ? value.filter(v => v !== o) : [...value, o])}
          >
            {render(o)}
          </button>
        );
      })}
    </div>
  );
}

export function IncidentsPage() {
  const [status, setStatus] = useState<string[]>([]);
  const [severity, setSeverity] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'lastActivity', dir: -1 });

  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);

  const list = useAsync(() => api.incidents({ status, severity, q }), [status.join(), severity.join(), q]);
  const rows = useMemo(() => {
    const r = [...(list.data?.incidents ?? [])];
    r.sort((a, b) => compare(a, b, sort.key) * sort.dir || (a.lastActivity < b.lastActivity ? 1 : -1));
    return r;
  }, [list.data, sort]);

  const header = (key: SortKey, label: string, className?: string) => (
    <th
      className={className}
      onClick={() => setSort(s => ({ key, dir: s.key === key ? ((-s.dir) as 1 | -1) : key === 'title' ? 1 : -1 }))}
      aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
      data-testid={`sort-${key}`}
    >
      {label}
      <span className="sort-mark">{sort.key === key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</span>
    </th>
  );

  return (
    <div className="page" data-testid="incidents-page">
      <div className="page-head">
        <h1>Incidents</h1>
        <span className="muted" data-testid="incident-count">
          {list.data ? `${rows.length} incident${rows.length === 1 ? '' : 's'}` : ''}
        </span>
        <button type="button" className="ghost" onClick={list.reload} title="Refresh">
          ⟳ Refresh
        </button>
      </div>
      <div className="filters">
        <input
          type="search"
          placeholder="Search title, user, device…"
          value={text}
          onChange={e => setText(e.target.value)}
          data-testid="incident-search"
          aria-label="Search incidents"
        />
        <Toggle label="Status" options={STATUSES} value={status as never[]} onChange={v => setStatus(v)} render={statusLabel} testId="filter-status" />
        <Toggle label="Severity" options={SEVERITIES} value={severity as never[]} onChange={v => setSeverity(v)} render={severityLabel} testId="filter-severity" />
      </div>
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      {!list.data && !list.error && <Loading what="incidents" />}
      {list.data && (
        <div className="table-wrap">
          <table className="queue" data-testid="incident-table">
            <thead>
              <tr>
                {header('severity', 'Severity')}
                {header('title', 'Incident')}
                {header('status', 'Status')}
                {header('stages', 'Stages')}
                <th>Tactics</th>
                {header('users', 'Impacted users')}
                {header('devices', 'Impacted devices')}
                {header('firstActivity', 'First activity')}
                {header('lastActivity', 'Last activity')}
                {header('alertCount', 'Alerts', 'num')}
              </tr>
            </thead>
            <tbody>
              {rows.map(i => (
                <tr key={i.id} data-testid="incident-row" data-incident-id={i.id} data-stages={i.stages.join(',')}>
                  <td>
                    <SeverityBadge severity={i.severity} />
                  </td>
                  <td className="title-cell">
                    <Link to={`/incidents/${encodeURIComponent(i.id)}`} testId="incident-link">
                      {i.title}
                    </Link>
                    <div className="sub muted">
                      #{i.id}
                      {i.assignedTo ? ` · ${i.assignedTo}` : ''}
                      {i.classification && i.classification !== 'unknown' ? ` · ${camelWords(i.classification)}` : ''}
                    </div>
                  </td>
                  <td>
                    <StatusBadge status={i.status} />
                  </td>
                  <td>
                    <StageChips stages={i.stages} />
                  </td>
                  <td className="tactics">
                    <EntityList items={i.tactics.map(camelWords)} max={3} />
                  </td>
                  <td>
                    <EntityList items={i.users} max={2} testId="incident-users" />
                  </td>
                  <td>
                    <EntityList items={i.devices} max={3} format={shortHost} testId="incident-devices" />
                  </td>
                  <td className="time">{fmtTime(i.firstActivity)}</td>
                  <td className="time">{fmtTime(i.lastActivity)}</td>
                  <td className="num">{i.alertCount}</td>
                </tr>
              ))}
              {!rows.length && (
                <tr>
                  <td colSpan={10} className="empty">
                    No incidents match.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
