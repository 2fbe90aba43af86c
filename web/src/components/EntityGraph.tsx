// The incident graph: alerts in the middle (in timeline order), the people and collaboration side
// (users, mailboxes, Teams threads, IPs, URLs) on the left, the hosts side (devices, processes,
// files, registry values) on the right; edges as curves. Laid out here in SVG, no graph library.
import { useMemo, useState } from 'react';
import type { GraphEdge, GraphNode } from '../types';

const W = 1000;
const ROW = 24;
const PAD = 16;
const LEFT_X = 250;
const RIGHT_X = 750;
const BOX_L = 340;
const BOX_R = 660;

const LEFT_KINDS = new Set(['user', 'userUpn', 'userObjectId', 'userName', 'userSid', 'mailbox', 'teamsThread', 'ip', 'url']);

const KIND_STYLE: Record<string, { color: string; glyph: string; label: string }> = {
  user: { color: '#4aa3ff', glyph: 'U', label: 'User' },
  mailbox: { color: '#4aa3ff', glyph: 'M', label: 'Mailbox' },
  teamsThread: { color: '#9b7bff', glyph: 'T', label: 'Teams thread' },
  ip: { color: '#f5a623', glyph: 'IP', label: 'IP address' },
  url: { color: '#f8d34a', glyph: 'W', label: 'URL' },
  device: { color: '#3ddc97', glyph: 'D', label: 'Device' },
  process: { color: '#50e3c2', glyph: 'P', label: 'Process' },
  file: { color: '#c0c8d2', glyph: 'F', label: 'File' },
  fileHash: { color: '#c0c8d2', glyph: '#', label: 'File hash' },
  registryValue: { color: '#ff8a5c', glyph: 'R', label: 'Registry value' },
};

export function kindStyle(kind: string) {
  return KIND_STYLE[kind] ?? (kind.startsWith('user') ? KIND_STYLE.user! : { color: '#9aa5b1', glyph: kind.slice(0, 1).toUpperCase(), label: kind });
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

interface Placed extends GraphNode {
  x: number;
  y: number;
  side: 'left' | 'mid' | 'right';
}

export interface EntityGraphProps {
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  /** Alert node ids in the order to show them (timeline order); others follow. */
  alertOrder?: readonly string[];
  selectedNodeId?: string;
  onSelectAlert?(nodeId: string): void;
}

export function layout(nodes: readonly GraphNode[], edges: readonly GraphEdge[], alertOrder: readonly string[] = []) {
  const neighbors = new Map<string, Set<string>>();
  for (const n of nodes) neighbors.set(n.id, new Set());
  for (const e of edges) {
    if (!neighbors.has(e.source) || !neighbors.has(e.target)) continue;
    neighbors.get(e.source)!.add(e.target);
    neighbors.get(e.target)!.add(e.source);
  }
  const rank = new Map(alertOrder.map((id, i) => [id, i]));
  const alerts = nodes.filter(n => n.kind === 'alert');
  alerts.sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9) || a.label.localeCompare(b.label));
  const alertIndex = new Map(alerts.map((a, i) => [a.id, i]));
  const kindOrder = (k: string) => Object.keys(KIND_STYLE).indexOf(k);
  const bary = (n: GraphNode) => {
    const idx = [...neighbors.get(n.id)!].map(id => alertIndex.get(id)).filter((i): i is number => i !== undefined);
    return idx.length ? idx.reduce((a, b) => a + b, 0) / idx.length : alerts.length;
  };
  const side = (list: GraphNode[]) =>
    list.map(n => ({ n, b: bary(n) })).sort((p, q) => p.b - q.b || kindOrder(p.n.kind) - kindOrder(q.n.kind) || p.n.label.localeCompare(q.n.label)).map(p => p.n);
  const entities = nodes.filter(n => n.kind !== 'alert');
  const left = side(entities.filter(n => LEFT_KINDS.has(n.kind)));
  const right = side(entities.filter(n => !LEFT_KINDS.has(n.kind)));

  const rows = Math.max(left.length, right.length, alerts.length * 1.6, 4);
  const height = Math.ceil(rows * ROW + PAD * 2);
  const place = (list: GraphNode[], x: number, s: Placed['side']): Placed[] =>
    list.map((n, i) => ({ ...n, x, y: PAD + ((i + 0.5) * (height - PAD * 2)) / list.length, side: s }));
  const placed = [...place(left, LEFT_X, 'left'), ...place(alerts, (BOX_L + BOX_R) / 2, 'mid'), ...place(right, RIGHT_X, 'right')];
  return { placed, neighbors, height };
}

export function EntityGraph({ nodes, edges, alertOrder, selectedNodeId, onSelectAlert }: EntityGraphProps) {
  const { placed, neighbors, height } = useMemo(() => layout(nodes, edges, alertOrder), [nodes, edges, alertOrder]);
  const [hover, setHover] = useState<string | null>(null);
  const byId = useMemo(() => new Map(placed.map(p => [p.id, p])), [placed]);
  const focus = hover;
  const lit = focus ? new Set([focus, ...(neighbors.get(focus) ?? [])]) : null;

  const anchor = (p: Placed, toward: Placed) => (p.side === 'mid' ? { x: toward.x < p.x ? BOX_L : BOX_R, y: p.y } : { x: p.x, y: p.y });

  const kinds = [...new Set(nodes.filter(n => n.kind !== 'alert').map(n => n.kind))];

  if (!nodes.length) return <div className="muted">No entities.</div>;
  return (
    <div className="graph" data-testid="entity-graph">
      <div className="graph-legend">
        <span className="legend-item">
          <span className="legend-box" /> Alert
        </span>
        {kinds.map(k => (
          <span key={k} className="legend-item">
            <span className="legend-dot" style={{ background: kindStyle(k).color }} /> {kindStyle(k).label}
          </span>
        ))}
      </div>
      <svg viewBox={`0 0 ${W} ${height}`} width="100%" style={{ maxWidth: W * 1.2 }} role="img" aria-label="Incident graph of alerts and entities">
        <g className="edges">
          {edges.map((e, i) => {
            const a = byId.get(e.source);
            const b = byId.get(e.target);
            if (!a || !b) return null;
            const p = anchor(a, b);
            const q = anchor(b, a);
            const mx = (p.x + q.x) / 2;
            const on = !lit || (lit.has(a.id) && lit.has(b.id) && (a.id === focus || b.id === focus));
            return <path key={i} d={`M${p.x},${p.y} C${mx},${p.y} ${mx},${q.y} ${q.x},${q.y}`} className={on ? 'edge' : 'edge dim'} />;
          })}
        </g>
        {placed.map(p => {
          const dim = lit && !lit.has(p.id);
          if (p.side === 'mid') {
            return (
              <g
                key={p.id}
                className={`node alert-node sev-${p.severity ?? 'medium'}${dim ? ' dim' : ''}${p.id === selectedNodeId ? ' selected' : ''}`}
                transform={`translate(${BOX_L},${p.y - 10})`}
                onMouseEnter={() => setHover(p.id)}
                onMouseLeave={() => setHover(null)}
                onClick={() => onSelectAlert?.(p.id)}
                data-testid="graph-alert"
              >
                <title>{p.label}</title>
                <rect width={BOX_R - BOX_L} height={20} rx={4} />
                <text x={8} y={14}>
                  {clip(p.label, 46)}
                </text>
              </g>
            );
          }
          const st = kindStyle(p.kind);
          const leftSide = p.side === 'left';
          return (
            <g
              key={p.id}
              className={`node entity-node${dim ? ' dim' : ''}`}
              transform={`translate(${p.x},${p.y})`}
              onMouseEnter={() => setHover(p.id)}
              onMouseLeave={() => setHover(null)}
              data-testid="graph-entity"
              data-kind={p.kind}
            >
              <title>{`${st.label}: ${p.label}`}</title>
              <circle r={8} fill={st.color} />
              <text className="glyph" y={3} textAnchor="middle">
                {st.glyph.length > 1 ? st.glyph[0] : st.glyph}
              </text>
              <text x={leftSide ? -13 : 13} y={4} textAnchor={leftSide ? 'end' : 'start'}>
                {clip(p.label, 34)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
