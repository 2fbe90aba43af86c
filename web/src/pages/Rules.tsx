// Detection rules: enable or disable, run now, see the query.
import { Fragment, useState } from 'react';
import { api } from '../api';
import { useAsync } from '../hooks';
import type { Rule, RuleRun } from '../types';
import { camelWords } from '../format';
import { ErrorBox, Loading, SeverityBadge, StageChips } from '../components/common';

export function RulesPage() {
  const rules = useAsync(() => api.rules(), []);
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const [runs, setRuns] = useState<Record<string, RuleRun | string>>({});

  const replace = (rule: Rule) => rules.set({ rules: rules.data!.rules.map(r => (r.id === rule.id ? rule : r)) });

  const toggle = async (r: Rule) => {
    setBusy(b => ({ ...b, [r.id]: true }));
    try {
      replace((await api.setRuleEnabled(r.id, !r.enabled)).rule);
    } catch (e) {
      setRuns(x => ({ ...x, [r.id]: (e as Error).message }));
    } finally {
      setBusy(b => ({ ...b, [r.id]: false }));
    }
  };

  const runNow = async (r: Rule) => {
    setBusy(b => ({ ...b, [r.id]: true }));
    try {
      const res = await api.runRule(r.id);
      setRuns(x => ({ ...x, [r.id]: res }));
      rules.reload();
    } catch (e) {
      setRuns(x => ({ ...x, [r.id]: (e as Error).message }));
    } finally {
      setBusy(b => ({ ...b, [r.id]: false }));
    }
  };

  const list = rules.data?.rules ?? [];
  return (
    <div className="page" data-testid="rules-page">
      <div className="page-head">
        <h1>Detection rules</h1>
        <span className="muted">{rules.data ? `${list.filter(r => r.enabled).length} of ${list.length} enabled` : ''}</span>
      </div>
      {rules.error && <ErrorBox error={rules.error} onRetry={rules.reload} />}
      {!rules.data && !rules.error && <Loading what="rules" />}
      {rules.data && (
        <div className="table-wrap">
          <table className="queue" data-testid="rules-table">
            <thead>
              <tr>
                <th>Enabled</th>
                <th>Severity</th>
                <th>Rule</th>
                <th>Stages</th>
                <th>MITRE</th>
                <th>Frequency</th>
                <th>Lookback</th>
                <th className="num">Alerts</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map(r => {
                const run = runs[r.id];
                return (
                  <Fragment key={r.id}>
                    <tr data-testid="rule-row" data-rule-id={r.id} className={r.enabled ? '' : 'disabled'}>
                      <td>
                        <label className="switch" title={r.enabled ? 'Disable' : 'Enable'}>
                          <input type="checkbox" checked={r.enabled} disabled={busy[r.id]} onChange={() => toggle(r)} data-testid="rule-enabled" />
                          <span />
                        </label>
                      </td>
                      <td>
                        <SeverityBadge severity={r.severity} />
                      </td>
                      <td className="title-cell">
                        <button type="button" className="link" onClick={() => setOpen(o => (o === r.id ? null : r.id))}>
                          {r.title}
                        </button>
                        <div className="sub muted">
                          <code>{r.id}</code>
                        </div>
                      </td>
                      <td>
                        <StageChips stages={r.stages} />
                      </td>
                      <td className="tactics">
                        {r.tactics.map(camelWords).join(', ')}
                        <div className="sub muted">{r.techniques.join(', ')}</div>
                      </td>
                      <td>{r.frequency}</td>
                      <td>{r.lookback}</td>
                      <td className="num">{r.alertCount}</td>
                      <td className="actions-cell">
                        <button type="button" onClick={() => runNow(r)} disabled={busy[r.id]} data-testid="rule-run">
                          {busy[r.id] ? 'Running…' : 'Run now'}
                        </button>
                        {run && (
                          <div className={typeof run === 'string' ? 'bad small' : 'ok small'} data-testid="rule-run-result">
                            {typeof run === 'string'
                              ? run
                              : `${run.rows} rows · ${run.alerts} alerts (${run.newAlerts} new) · ${run.incidents} incidents`}
                          </div>
                        )}
                      </td>
                    </tr>
                    {open === r.id && (
                      <tr className="rule-detail">
                        <td colSpan={9}>
                          <p>{r.description}</p>
                          <div className="muted small">{r.file}</div>
                          <pre className="code">{r.query}</pre>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
