// Small shared pieces: links, badges, stage chips, loading and error boxes.
import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../router';
import { severityLabel, statusLabel } from '../format';

export function Link(props: { to: string; children: ReactNode; className?: string; testId?: string; title?: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={props.to} onClick={onClick} className={props.className} data-testid={props.testId} title={props.title}>
      {props.children}
    </a>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  return (
    <span className={`sev sev-${severity}`} data-testid="severity" data-severity={severity}>
      {severityLabel(severity)}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`status status-${status}`} data-testid="status" data-status={status}>
      {statusLabel(status)}
    </span>
  );
}

/** The seed's stages 1–9 as nine small cells, the covered ones filled. */
export function StageChips({ stages, names }: { stages: readonly number[]; names?: Record<number, string> }) {
  const set = new Set(stages);
  return (
    <span className="stage-chips" data-testid="stage-chips" title={`Stages ${stages.join(', ') || 'none'}`}>
      {[1, 2, 3, 4, 5, 6, 7, 8, 9].map(n => (
        <span key={n} className={set.has(n) ? 'chip on' : 'chip'} title={names?.[n] ? `${n}. ${names[n]}` : `Stage ${n}`}>
          {n}
        </span>
      ))}
    </span>
  );
}

export function Loading({ what }: { what?: string }) {
  return <div className="loading" data-testid="loading">Loading{what ? ` ${what}` : ''}…</div>;
}

export function ErrorBox({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  return (
    <div className="error-box" data-testid="error" role="alert">
      <strong>Error:</strong> {error.message}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function EntityList({ items, max = 3, format, testId }: { items: readonly string[]; max?: number; format?(s: string): string; testId?: string }) {
  if (!items.length) return <span className="muted" data-testid={testId}>—</span>;
  const shown = items.slice(0, max).map(s => (format ? format(s) : s));
  return (
    <span title={items.join('\n')} data-testid={testId}>
      {shown.join(', ')}
      {items.length > max && <span className="muted"> +{items.length - max}</span>}
    </span>
  );
}
