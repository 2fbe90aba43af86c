// Managing an incident: status, classification, determination, assignment and tags (PATCH), and
// comments (POST). Both answer the whole detail object, which replaces the page's copy.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import type { Classification, IncidentDetail, IncidentPatch, IncidentStatus } from '../types';
import { CLASSIFICATIONS, DETERMINATIONS, STATUSES } from '../types';
import { camelWords, classificationLabel, fmtTime, statusLabel } from '../format';

interface Form {
  status: IncidentStatus;
  classification: Classification;
  determination: string;
  assignedTo: string;
  tags: string;
}

const formOf = (d: IncidentDetail): Form => ({
  status: d.incident.status,
  classification: d.incident.classification,
  determination: d.incident.determination || 'unknown',
  assignedTo: d.incident.assignedTo ?? '',
  tags: (d.incident.tags ?? []).join(', '),
});

const tagList = (s: string) => [...new Set(s.split(',').map(t => t.trim()).filter(Boolean))];

export function ManagePanel({ detail, onChange }: { detail: IncidentDetail; onChange(d: IncidentDetail): void }) {
  const [form, setForm] = useState<Form>(() => formOf(detail));
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setForm(formOf(detail)), [detail]);

  const base = formOf(detail);
  const patch: IncidentPatch = {};
  if (form.status !== base.status) patch.status = form.status;
  if (form.classification !== base.classification) patch.classification = form.classification;
  if (form.determination !== base.determination) patch.determination = form.determination;
  if (form.assignedTo.trim() !== base.assignedTo) patch.assignedTo = form.assignedTo.trim();
  if (tagList(form.tags).join(',') !== tagList(base.tags).join(',')) patch.tags = tagList(form.tags);
  const dirty = Object.keys(patch).length > 0;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!dirty) return;
    setSaving(true);
    setMessage(null);
    try {
      const d = await api.updateIncident(detail.incident.id, patch);
      onChange(d);
      setMessage({ ok: true, text: 'Saved.' });
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    } finally {
      setSaving(false);
    }
  };

  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setMessage(null);
    setForm(f => ({ ...f, [k]: v }));
  };

  return (
    <form className="panel manage" onSubmit={save} data-testid="manage-panel">
      <h3>Manage incident</h3>
      <label>
        Status
        <select value={form.status} onChange={e => set('status', e.target.value as IncidentStatus)} data-testid="incident-status">
          {STATUSES.map(s => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Classification
        <select value={form.classification} onChange={e => set('classification', e.target.value as Classification)} data-testid="incident-classification">
          {CLASSIFICATIONS.map(c => (
            <option key={c} value={c}>
              {classificationLabel(c)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Determination
        <select value={form.determination} onChange={e => set('determination', e.target.value)} data-testid="incident-determination">
          {[...new Set([...DETERMINATIONS, form.determination])].map(d => (
            <option key={d} value={d}>
              {d === 'unknown' ? 'Not set' : camelWords(d)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Assigned to
        <input value={form.assignedTo} onChange={e => set('assignedTo', e.target.value)} placeholder="Unassigned" data-testid="incident-assigned" />
      </label>
      <label>
        Tags
        <input value={form.tags} onChange={e => set('tags', e.target.value)} placeholder="comma, separated" data-testid="incident-tags" />
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={!dirty || saving} data-testid="incident-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
        {dirty && (
          <button type="button" className="ghost" onClick={() => setForm(base)}>
            Discard
          </button>
        )}
        {message && (
          <span className={message.ok ? 'ok' : 'bad'} data-testid={message.ok ? 'incident-saved' : 'incident-save-error'}>
            {message.text}
          </span>
        )}
      </div>
    </form>
  );
}

export function CommentsPanel({ detail, onChange }: { detail: IncidentDetail; onChange(d: IncidentDetail): void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const comments = detail.incident.comments ?? [];

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onChange(await api.comment(detail.incident.id, text.trim()));
      setText('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel comments" data-testid="comments">
      <h3>Comments ({comments.length})</h3>
      <ol className="comment-list">
        {comments.map((c, i) => (
          <li key={i} data-testid="comment">
            <div className="comment-meta">
              <strong>{c.createdBy || 'analyst'}</strong> <span className="muted">{fmtTime(c.createdTime)}</span>
            </div>
            <div className="comment-text">{c.comment}</div>
          </li>
        ))}
      </ol>
      <form onSubmit={add}>
        <textarea value={text} onChange={e => setText(e.target.value)} placeholder="Add a comment…" rows={3} data-testid="comment-input" />
        <div className="row">
          <button type="submit" disabled={busy || !text.trim()} data-testid="comment-add">
            {busy ? 'Adding…' : 'Add comment'}
          </button>
          {error && <span className="bad">{error}</span>}
        </div>
      </form>
    </div>
  );
}
