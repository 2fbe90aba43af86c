// The data: tables with their row counts and time ranges, and file upload (with progress) to ingest more.
import { useRef, useState, type DragEvent } from 'react';
import { api, uploadFiles, type UploadHandle } from '../api';
import { useAsync } from '../hooks';
import type { IngestAnswer } from '../types';
import { fmtBytes, fmtCount, fmtTime } from '../format';
import { ErrorBox, Loading } from '../components/common';

type Upload =
  | { kind: 'idle' }
  | { kind: 'uploading'; loaded: number; total: number; handle: UploadHandle }
  | { kind: 'processing' }
  | { kind: 'done'; answer: IngestAnswer }
  | { kind: 'error'; message: string };

export function DataPage() {
  const data = useAsync(() => api.data(), []);
  const [files, setFiles] = useState<File[]>([]);
  const [table, setTable] = useState('');
  const [upload, setUpload] = useState<Upload>({ kind: 'idle' });
  const [drag, setDrag] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const start = () => {
    if (!files.length) return;
    const handle = uploadFiles(files, table.trim() || null, (loaded, total) => {
      setUpload(u => (u.kind === 'uploading' ? { ...u, loaded, total } : u));
      if (total && loaded >= total) setUpload({ kind: 'processing' });
    });
    const total = files.reduce((a, f) => a + f.size, 0);
    setUpload({ kind: 'uploading', loaded: 0, total, handle });
    handle.promise.then(
      answer => {
        setUpload({ kind: 'done', answer });
        setFiles([]);
        if (input.current) input.current.value = '';
        data.reload();
      },
      (e: Error) => setUpload({ kind: 'error', message: e.message }),
    );
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDrag(false);
    setFiles([...e.dataTransfer.files]);
  };

  const tables = [...(data.data?.tables ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const total = tables.reduce((a, t) => a + t.rowCount, 0);
  const pct = upload.kind === 'uploading' && upload.total ? Math.round((upload.loaded / upload.total) * 100) : upload.kind === 'processing' || upload.kind === 'done' ? 100 : 0;
  const busy = upload.kind === 'uploading' || upload.kind === 'processing';

  return (
    <div className="page" data-testid="data-page">
      <div className="page-head">
        <h1>Data</h1>
        <span className="muted">{data.data ? `${tables.length} tables · ${fmtCount(total)} rows` : ''}</span>
        <button type="button" className="ghost" onClick={data.reload}>
          ⟳ Refresh
        </button>
      </div>
      <div className="data-layout">
        <div>
          {data.error && <ErrorBox error={data.error} onRetry={data.reload} />}
          {!data.data && !data.error && <Loading what="tables" />}
          {data.data && (
            <div className="table-wrap">
            <table className="queue" data-testid="data-table">
              <thead>
                <tr>
                  <th>Table</th>
                  <th className="num">Rows</th>
                  <th>First event</th>
                  <th>Last event</th>
                </tr>
              </thead>
              <tbody>
                {tables.map(t => (
                  <tr key={t.name} data-testid="data-row" data-table={t.name}>
                    <td>
                      <code>{t.name}</code>
                    </td>
                    <td className="num">{fmtCount(t.rowCount)}</td>
                    <td className="time">{fmtTime(t.firstTimestamp)}</td>
                    <td className="time">{fmtTime(t.lastTimestamp)}</td>
                  </tr>
                ))}
                {!tables.length && (
                  <tr>
                    <td colSpan={4} className="empty">
                      No data yet: upload Defender exports.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
            </div>
          )}
        </div>
        <div className="panel upload" data-testid="upload-panel">
          <h3>Upload telemetry</h3>
          <p className="muted small">
            Defender streaming API records (one per line or batched), advanced hunting exports (JSON, CSV) or NDJSON rows of one table; .gz too.
          </p>
          <div
            className={drag ? 'dropzone over' : 'dropzone'}
            onDragOver={e => {
              e.preventDefault();
              setDrag(true);
            }}
            onDragLeave={() => setDrag(false)}
            onDrop={onDrop}
            onClick={() => input.current?.click()}
          >
            {files.length ? `${files.length} file${files.length === 1 ? '' : 's'}, ${fmtBytes(files.reduce((a, f) => a + f.size, 0))}` : 'Drop files here or click to choose'}
          </div>
          <input ref={input} type="file" multiple hidden onChange={e => setFiles([...(e.target.files ?? [])])} data-testid="upload-input" />
          {files.length > 0 && (
            <ul className="file-list">
              {files.map(f => (
                <li key={f.name}>
                  {f.name} <span className="muted">{fmtBytes(f.size)}</span>
                </li>
              ))}
            </ul>
          )}
          <label>
            Table (for CSV/NDJSON whose file name does not say)
            <input value={table} onChange={e => setTable(e.target.value)} placeholder="e.g. DeviceProcessEvents" list="table-names" />
            <datalist id="table-names">
              {tables.map(t => (
                <option key={t.name} value={t.name} />
              ))}
            </datalist>
          </label>
          <div className="row">
            <button type="button" className="primary" disabled={!files.length || busy} onClick={start} data-testid="upload-start">
              Upload and ingest
            </button>
            {upload.kind === 'uploading' && (
              <button type="button" className="ghost" onClick={() => upload.handle.abort()}>
                Cancel
              </button>
            )}
          </div>
          {upload.kind !== 'idle' && upload.kind !== 'error' && (
            <div className="progress" data-testid="upload-progress">
              <div className="progress-bar" style={{ width: `${pct}%` }} />
              <span>
                {upload.kind === 'uploading' ? `${pct}% · ${fmtBytes(upload.loaded)} of ${fmtBytes(upload.total)}` : upload.kind === 'processing' ? 'Ingesting…' : 'Done'}
              </span>
            </div>
          )}
          {upload.kind === 'error' && <div className="error-box">{upload.message}</div>}
          {upload.kind === 'done' && <IngestResult answer={upload.answer} />}
        </div>
      </div>
    </div>
  );
}

function IngestResult({ answer }: { answer: IngestAnswer }) {
  const tables = Object.entries(answer.tables ?? {});
  return (
    <div className="ingest-result" data-testid="upload-result">
      {answer.files.map((f, i) => (
        <div key={i} className="ingest-file" data-testid="upload-file" data-status={f.status ?? ''}>
          <strong>{f.name}</strong>
          {f.status && <span className={f.status === 'failed' ? 'pill action-failed' : 'pill'}>{f.status}</span>}
          {f.format && <span className="muted"> {f.format}</span>}: {fmtCount(f.accepted)} accepted,{' '}
          <span className={f.rejected ? 'bad' : ''}>{fmtCount(f.rejected)} rejected</span>
          {f.message && <div className="muted small">{f.message}</div>}
          {f.tables && (
            <ul>
              {Object.entries(f.tables).map(([t, c]) => (
                <li key={t}>
                  {t}: {fmtCount(c.accepted)}
                  {c.rejected ? ` (${fmtCount(c.rejected)} rejected)` : ''}
                </li>
              ))}
            </ul>
          )}
          {f.errors?.map((e, j) => (
            <div key={j} className="bad small">
              {e}
            </div>
          ))}
        </div>
      ))}
      {tables.length > 0 && (
        <ul className="ingest-tables">
          {tables.map(([t, c]) => (
            <li key={t}>
              <code>{t}</code>: {fmtCount(c.accepted)} stored{c.rejected ? `, ${fmtCount(c.rejected)} rejected` : ''}
            </li>
          ))}
        </ul>
      )}
      {answer.quarantine && <div className="muted small">Rejected records: {answer.quarantine}</div>}
    </div>
  );
}
