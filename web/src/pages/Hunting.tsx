// Advanced hunting: the KQL editor, the seed's queries A–K and saved queries, results as a grid
// (sortable, CSV/JSON export) and as a chart when the query ends with `render`.
import { lazy, Suspense, useRef, useState } from 'react';
import { api, ApiError } from '../api';
import { useAsync } from '../hooks';
import type { HuntingQuery, QueryAnswer, SavedQuery } from '../types';
import { fmtCount, fmtTime } from '../format';
import { download, toCsv, toJson } from '../download';
import { DataGrid } from '../components/DataGrid';
import { ErrorBox, Loading } from '../components/common';
import type { KqlEditorHandle } from '../components/KqlEditor';
import { ResultChart, SUPPORTED_CHARTS } from '../components/ResultChart';

const KqlEditor = lazy(() => import('../components/KqlEditor').then(m => ({ default: m.KqlEditor })));

const DRAFT_KEY = 'chainhunt.hunting.draft';
const DEFAULT_QUERY = `DeviceProcessEvents
| where Timestamp > ago(7d)
| where FileName in~ ("QuickAssist.exe", "AnyDesk.exe", "TeamViewer.exe")
| project Timestamp, DeviceName, AccountName, FileName, ProcessCommandLine
| order by Timestamp desc
| take 100`;

function newQueryId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map(x => x.toString(16).padStart(2, '0')).join('');
}

type Outcome =
  | { kind: 'idle' }
  | { kind: 'running'; queryId: string; started: number }
  | { kind: 'done'; answer: QueryAnswer }
  | { kind: 'error'; error: ApiError | Error };

export function HuntingPage() {
  const editor = useRef<KqlEditorHandle>(null);
  const schema = useAsync(() => api.schema(), []);
  const pack = useAsync(() => api.hunting(), []);
  const saved = useAsync(() => api.savedQueries(), []);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [view, setView] = useState<'table' | 'chart'>('table');
  const [saveName, setSaveName] = useState<string | null>(null);
  const [panelError, setPanelError] = useState<string | null>(null);
  const running = useRef<string | null>(null);

  const run = async () => {
    const text = editor.current?.getQueryToRun() ?? '';
    if (!text.trim() || running.current) return;
    const queryId = newQueryId();
    running.current = queryId;
    editor.current?.clearError();
    setOutcome({ kind: 'running', queryId, started: performance.now() });
    try {
      const answer = await api.query(text, queryId);
      setOutcome({ kind: 'done', answer });
      setView(answer.render && SUPPORTED_CHARTS.has(answer.render.visualization) ? 'chart' : 'table');
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      setOutcome({ kind: 'error', error: err });
      if (err instanceof ApiError && err.code === 'kql' && err.line) editor.current?.showError(err.message, err.line, err.column);
    } finally {
      running.current = null;
    }
  };

  const cancel = async () => {
    const id = running.current;
    if (!id) return;
    try {
      await api.cancelQuery(id);
    } catch {
      /* it may have just finished */
    }
  };

  const load = (q: { query: string }) => {
    editor.current?.setValue(q.query);
    sessionStorage.setItem(DRAFT_KEY, q.query);
  };

  const saveQuery = async () => {
    const name = saveName?.trim();
    const text = editor.current?.getValue() ?? '';
    if (!name || !text.trim()) return;
    try {
      await api.saveQuery(name, text);
      setSaveName(null);
      setPanelError(null);
      saved.reload();
    } catch (e) {
      setPanelError((e as Error).message);
    }
  };

  const remove = async (q: SavedQuery) => {
    if (!window.confirm(`Delete the saved query "${q.name}"?`)) return;
    try {
      await api.deleteSavedQuery(q.id);
      saved.reload();
    } catch (e) {
      setPanelError((e as Error).message);
    }
  };

  const answer = outcome.kind === 'done' ? outcome.answer : null;
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

  return (
    <div className="page hunting" data-testid="hunting-page">
      <aside className="side-panel">
        <h3>Hunting pack</h3>
        {pack.error && <ErrorBox error={pack.error} onRetry={pack.reload} />}
        <ul className="query-list" data-testid="hunting-pack">
          {pack.data?.queries.map((q: HuntingQuery) => (
            <li key={q.name}>
              <button type="button" onClick={() => load(q)} title={`${q.title}\nStages ${q.stages.join(', ')} · ${q.techniques.join(', ')}\nTables: ${q.tables.join(', ')}`} data-testid="hunting-query" data-letter={q.letter}>
                <span className="letter">{q.letter}</span>
                <span className="q-title">{q.title}</span>
                <span className="q-stages muted">{q.stages.length ? `stage ${q.stages.join(',')}` : ''}</span>
              </button>
            </li>
          ))}
        </ul>
        <h3>Saved queries</h3>
        {saved.error && <ErrorBox error={saved.error} onRetry={saved.reload} />}
        {panelError && <div className="bad">{panelError}</div>}
        <ul className="query-list" data-testid="saved-queries">
          {saved.data?.queries.map(q => (
            <li key={q.id} className="saved">
              <button type="button" onClick={() => load(q)} title={`Saved ${fmtTime(q.createdTime)}`} data-testid="saved-query">
                <span className="q-title">{q.name}</span>
              </button>
              <button type="button" className="x" onClick={() => remove(q)} title="Delete" aria-label={`Delete ${q.name}`}>
                ×
              </button>
            </li>
          ))}
          {saved.data && !saved.data.queries.length && <li className="muted small">None yet: write a query and Save it.</li>}
        </ul>
      </aside>
      <div className="hunt-main">
        <div className="toolbar">
          {outcome.kind === 'running' ? (
            <button type="button" className="danger" onClick={cancel} data-testid="query-cancel">
              ■ Cancel
            </button>
          ) : (
            <button type="button" className="primary" onClick={run} data-testid="query-run" title="Run (Ctrl/Cmd+Enter)">
              ▶ Run query
            </button>
          )}
          <span className="muted small">Ctrl/Cmd+Enter runs the selection or the whole query</span>
          <span className="spacer" />
          {saveName === null ? (
            <button type="button" onClick={() => setSaveName('')} data-testid="query-save">
              Save…
            </button>
          ) : (
            <form
              className="inline-form"
              onSubmit={e => {
                e.preventDefault();
                void saveQuery();
              }}
            >
              <input autoFocus value={saveName} onChange={e => setSaveName(e.target.value)} placeholder="Name" data-testid="query-save-name" />
              <button type="submit" className="primary" disabled={!saveName.trim()}>
                Save
              </button>
              <button type="button" className="ghost" onClick={() => setSaveName(null)}>
                Cancel
              </button>
            </form>
          )}
        </div>
        <Suspense fallback={<div className="kql-editor loading">Loading editor…</div>}>
          <KqlEditor
            ref={editor}
            initialValue={sessionStorage.getItem(DRAFT_KEY) ?? DEFAULT_QUERY}
            schema={schema.data?.tables}
            onRun={() => void run()}
            onChange={t => sessionStorage.setItem(DRAFT_KEY, t)}
            height="34vh"
          />
        </Suspense>
        <div className="results" data-testid="results">
          {outcome.kind === 'idle' && <div className="muted empty">Run a query to see results.</div>}
          {outcome.kind === 'running' && <Loading what="results" />}
          {outcome.kind === 'error' && <QueryError error={outcome.error} />}
          {answer && (
            <>
              <div className="results-bar">
                <span data-testid="result-count">
                  {fmtCount(answer.stats.rowCount)} row{answer.stats.rowCount === 1 ? '' : 's'}
                  {answer.stats.truncated && <span className="warn"> (truncated to {fmtCount(answer.rows.length)})</span>}
                </span>
                <span className="muted">{(answer.stats.elapsedMs / 1000).toFixed(2)} s</span>
                {answer.render && (
                  <span className="view-switch">
                    <button type="button" className={view === 'table' ? 'toggle on' : 'toggle'} onClick={() => setView('table')} data-testid="view-table">
                      Table
                    </button>
                    <button type="button" className={view === 'chart' ? 'toggle on' : 'toggle'} onClick={() => setView('chart')} data-testid="view-chart">
                      Chart
                    </button>
                  </span>
                )}
                <span className="spacer" />
                <button type="button" onClick={() => download(`chainhunt-${stamp}.csv`, toCsv(answer.columns, answer.rows), 'text/csv')} data-testid="export-csv">
                  Export CSV
                </button>
                <button type="button" onClick={() => download(`chainhunt-${stamp}.json`, toJson(answer.columns, answer.rows), 'application/json')} data-testid="export-json">
                  Export JSON
                </button>
              </div>
              {view === 'chart' && answer.render ? (
                <ResultChart columns={answer.columns} rows={answer.rows} render={answer.render} />
              ) : (
                <DataGrid columns={answer.columns} rows={answer.rows} testId="result-grid" maxHeight="52vh" />
              )}
            </>
          )}
        </div>
      </div>
    </div>
  );
}

function QueryError({ error }: { error: Error }) {
  const e = error instanceof ApiError ? error : null;
  const text =
    e?.code === 'timeout' ? 'The query ran past its time limit and was stopped.'
    : e?.code === 'cancelled' ? 'The query was cancelled.'
    : e?.line ? error.message.replace(/^(?:query:)?\d+:\d+:\s*/, '') : error.message;
  return (
    <div className={e?.code === 'cancelled' ? 'notice' : 'error-box'} data-testid="query-error" data-code={e?.code ?? ''}>
      {e?.line ? <strong>Line {e.line}{e.column ? `, column ${e.column}` : ''}: </strong> : null}
      <span className="pre">{text}</span>
    </div>
  );
}
