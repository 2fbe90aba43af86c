// A results grid: sortable columns (click a header: ascending, descending, unsorted), rows shown in pages.
import { useMemo, useState } from 'react';
import type { Column } from '../types';
import { cellText, compareCells } from '../format';

const PAGE = 500;

export interface DataGridProps {
  columns: readonly Column[];
  rows: readonly unknown[][];
  testId?: string;
  maxHeight?: number | string;
}

export function DataGrid({ columns, rows, testId = 'grid', maxHeight }: DataGridProps) {
  const [sort, setSort] = useState<{ col: number; dir: 1 | -1 } | null>(null);
  const [shown, setShown] = useState(PAGE);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const idx = rows.map((r, i) => i);
    idx.sort((a, b) => compareCells(rows[a]![sort.col], rows[b]![sort.col]) * sort.dir || a - b);
    return idx.map(i => rows[i]!);
  }, [rows, sort]);

  const clickHeader = (col: number) =>
    setSort(s => (!s || s.col !== col ? { col, dir: 1 } : s.dir === 1 ? { col, dir: -1 } : null));

  return (
    <div className="grid-wrap" style={maxHeight !== undefined ? { maxHeight } : undefined} data-testid={testId}>
      <table className="grid">
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th
                key={i}
                onClick={() => clickHeader(i)}
                title={`${c.name}: ${c.type}`}
                data-testid="grid-header"
                aria-sort={sort?.col === i ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
              >
                {c.name}
                <span className="sort-mark">{sort?.col === i ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.slice(0, shown).map((r, i) => (
            <tr key={i} data-testid="grid-row">
              {r.map((v, j) => {
                const t = cellText(v);
                return (
                  <td key={j} title={t.length > 40 ? t : undefined} className={typeof v === 'number' ? 'num' : undefined}>
                    {t}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {sorted.length > shown && (
        <button type="button" className="more" onClick={() => setShown(n => n + PAGE)}>
          Show {Math.min(PAGE, sorted.length - shown)} more of {sorted.length - shown} remaining rows
        </button>
      )}
    </div>
  );
}

/** A few rows shown transposed: one line per column, one value column per row (empty columns left out). */
export function RecordView({ columns, rows, testId = 'record-view' }: DataGridProps) {
  const keep = columns.map((c, i) => i).filter(i => rows.some(r => r[i] !== null && r[i] !== undefined && r[i] !== ''));
  return (
    <div className="grid-wrap" data-testid={testId}>
      <table className="grid record">
        <tbody>
          {keep.map(i => (
            <tr key={i} data-testid="record-field">
              <th title={columns[i]!.type}>{columns[i]!.name}</th>
              {rows.map((r, j) => {
                const t = cellText(r[i]);
                return (
                  <td key={j} title={t.length > 80 ? t : undefined}>
                    {t}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
