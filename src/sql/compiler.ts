// IR → SQL. Each relational operator becomes one common table expression over its input; values
// go out as bound parameters, so nothing from the query text is spliced into SQL. Dialect hooks
// decide quoting, types, functions and the few relational forms that differ between engines.
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import type { ScalarExpr, LiteralValue } from '../ir/scalar.js';
import { call, column, forEachScalar } from '../ir/scalar.js';
import type {
  Aggregate, GraphComponents, GraphMatch, Join, Limit, MakeSeries, MvExpand, NamedExpr, Project, RelNode, SequenceScan, SortKey, Window,
} from '../ir/relational.js';
import { stateRef } from '../ir/relational.js';
import { UnsupportedFunctionError, type BoundParameter, type SqlArg, type SqlContext, type SqlDialect } from './dialect.js';

export interface CompiledQuery {
  readonly sql: string;
  readonly params: readonly BoundParameter[];
  readonly columns: readonly ColumnDef[];
}

/** A compiled relation: the name of its CTE and, if its rows are in a defined order, that order. */
interface Relation {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly order?: readonly SortKey[];
}

interface ScalarScope {
  /** Table alias that qualifies column references (joins). */
  readonly qualifier?: string;
  /** Column references compiled to other SQL (state values of a scan, the sides of a join...). */
  readonly columns?: ReadonlyMap<string, string>;
  /** ORDER BY terms of the input rows, for window functions. */
  readonly order: string;
}

export class SqlCompiler {
  private readonly ctes: string[] = [];
  /**
   * CTEs that a following filter may add its condition to (a scan, or a filter), by name: fewer
   * layers of SQL for the database to plan. A CTE stops taking conditions once it is shared.
   */
  private readonly filterable = new Map<string, { index: number; head: string; where: string[] }>();
  private readonly params: BoundParameter[] = [];
  private readonly shared = new Map<number, Relation>();
  private next = 0;
  /** Whether a CTE refers to itself (WITH RECURSIVE). */
  private recursive = false;
  /** Column names of the plan that another name matches case-insensitively. */
  private caseClashes: ReadonlySet<string> = new Set();
  /** Lambda parameters of graph list functions: unique per use. */
  private lambdas = 0;
  /** While compiling graph-match expressions: how `var.prop` and `var#edges` columns read. */
  private graphColumns?: Map<string, string>;

  constructor(private readonly dialect: SqlDialect) {}

  compile(plan: RelNode): CompiledQuery {
    this.caseClashes = caseClashes(plan);
    const top = this.relation(plan);
    const cols = top.columns.map(c => this.q(c.name)).join(', ');
    const order = top.order ? ` ORDER BY ${this.orderTerms(top.order, { order: '' })}` : '';
    const body = `SELECT ${cols || '*'} FROM ${top.name}${order}`;
    const sql = this.ctes.length ? `WITH ${this.recursive ? 'RECURSIVE ' : ''}${this.ctes.join(',\n')}\n${body}` : body;
    return { sql, params: this.params, columns: plan.columns };
  }

  // ---------------------------------------------------------------- relations

  /**
   * A column name in SQL. Kusto names are case-sensitive and SQL's are not: names that differ only
   * in case (ISP and Isp in one union) get a case-safe spelling (each capital marked with ^).
   */
  private q(name: string): string {
    if (!this.caseClashes.has(name)) return this.dialect.quoteIdentifier(name);
    return this.dialect.quoteIdentifier(name.replace(/\^/g, '^^').replace(/\p{Lu}/gu, '$&^'));
  }

  private reserve(): string {
    return `q${++this.next}`;
  }

  private emit(sql: string, columns: readonly ColumnDef[], order?: readonly SortKey[], materialized = false): Relation {
    const name = `q${++this.next}`;
    this.ctes.push(`${name} AS ${materialized ? 'MATERIALIZED ' : ''}(\n  ${sql}\n)`);
    return { name, columns, order };
  }

  /** A CTE `head [WHERE ...]` that later filters may extend. */
  private emitFilterable(head: string, where: string[], columns: readonly ColumnDef[], order?: readonly SortKey[]): Relation {
    const rel = this.emit(where.length ? `${head} WHERE ${where.join(' AND ')}` : head, columns, order);
    this.filterable.set(rel.name, { index: this.ctes.length - 1, head, where: [...where] });
    return rel;
  }

  private addCondition(rel: Relation, condition: string): boolean {
    const f = this.filterable.get(rel.name);
    if (!f) return false;
    f.where.push(condition);
    this.ctes[f.index] = `${rel.name} AS (\n  ${f.head} WHERE ${f.where.join(' AND ')}\n)`;
    return true;
  }

  private relation(node: RelNode): Relation {
    switch (node.kind) {
      case 'scan': {
        const raw = (n: string) => this.dialect.quoteIdentifier(n);
        const renamed = node.columns.some(c => this.caseClashes.has(c.name));
        const cols = node.columns.map(c => (this.caseClashes.has(c.name) ? `${raw(c.name)} AS ${this.q(c.name)}` : raw(c.name)));
        const head = `SELECT ${cols.join(', ')} FROM ${raw(node.table)}`;
        // Conditions name the table's own columns, so a scan that renames some cannot take them.
        return renamed ? this.emit(head, node.columns) : this.emitFilterable(head, [], node.columns);
      }
      case 'values':
        return this.values(node.columns, node.rows.map(r => r.map(l => this.literal(l.value, l.type))));
      case 'range': {
        const scope = { order: '' };
        const from = this.scalar(node.from, scope);
        const to = this.scalar(node.to, scope);
        const step = this.scalar(node.step, scope);
        const col = node.columns[0]!;
        return this.emit(`SELECT ${this.q(col.name)} FROM ${this.dialect.rangeRows(this.q(col.name), col.type, from, to, step)}`, node.columns,
          [{ expr: { kind: 'column', name: col.name, type: col.type }, descending: false, nullsFirst: false }]);
      }
      case 'filter': {
        const input = this.relation(node.input);
        const before = this.ctes.length;
        const pred = this.scalar(node.predicate, this.scopeOf(input));
        // A condition with a subquery refers to CTEs defined after the input's: it gets its own.
        if (this.ctes.length === before && this.addCondition(input, pred)) return input;
        return this.emitFilterable(`SELECT * FROM ${input.name}`, [pred], node.columns, input.order);
      }
      case 'project':
        return this.project(node);
      case 'aggregate':
        return this.aggregate(node);
      case 'sort': {
        const input = this.relation(node.input);
        return this.emit(`SELECT * FROM ${input.name} ORDER BY ${this.orderTerms(node.keys, this.scopeOf(input))}`, node.columns, node.keys);
      }
      case 'limit':
        return this.limit(node);
      case 'distinct': {
        const input = this.relation(node.input);
        return this.emit(`SELECT DISTINCT * FROM ${input.name}`, node.columns);
      }
      case 'join':
        return this.join(node);
      case 'union': {
        const parts = node.inputs.map(i => this.relation(i));
        if (node.byName) {
          // Each input names only its own columns; the missing ones are null ("" for strings).
          const present = new Set(parts.flatMap(p => p.columns.map(c => c.name)));
          const all = this.emit(parts.map(p => `SELECT ${p.columns.map(c => this.q(c.name)).join(', ')} FROM ${p.name}`).join(`\n  ${this.dialect.unionAllByName}\n  `), []);
          const select = node.columns.map(c => {
            if (!present.has(c.name)) return `${this.dialect.nullLiteral(c.type)} AS ${this.q(c.name)}`;
            return c.type === 'string' ? `coalesce(${this.q(c.name)}, '') AS ${this.q(c.name)}` : this.q(c.name);
          });
          return this.emit(`SELECT ${select.join(', ')} FROM ${all.name}`, node.columns);
        }
        const cols = node.columns.map(c => this.q(c.name)).join(', ');
        return this.emit(parts.map(p => `SELECT ${cols} FROM ${p.name}`).join('\n  UNION ALL\n  '), node.columns);
      }
      case 'mv-expand':
        return this.mvExpand(node);
      case 'window':
        return this.window(node);
      case 'make-series':
        return this.makeSeries(node);
      case 'sequence-scan':
        return this.sequenceScan(node);
      case 'graph-match':
        return this.graphMatch(node);
      case 'graph-components':
        return this.graphComponents(node);
      case 'shared': {
        const known = this.shared.get(node.id);
        if (known) return known;
        const input = this.relation(node.input);
        // Read by several consumers: no consumer may add its conditions to it any more.
        this.filterable.delete(input.name);
        const rel = node.materialize ? this.emit(`SELECT * FROM ${input.name}`, node.columns, input.order, true) : input;
        this.shared.set(node.id, rel);
        return rel;
      }
    }
  }

  private scopeOf(rel: Relation): ScalarScope {
    return { order: rel.order ? this.orderTerms(rel.order, { order: '' }) : '' };
  }

  private values(columns: readonly ColumnDef[], rows: string[][]): Relation {
    if (columns.length === 0) return this.emit(`SELECT 1 AS ${this.q('__row')}`, []);
    const names = columns.map(c => this.q(c.name)).join(', ');
    if (rows.length === 0) {
      const nulls = columns.map(c => `${this.dialect.nullLiteral(c.type)} AS ${this.q(c.name)}`).join(', ');
      return this.emit(`SELECT ${nulls} WHERE false`, columns);
    }
    // The row number keeps the datatable's order, which Kusto preserves.
    const tuples = rows.map((r, i) => `(${[...r, String(i)].join(', ')})`).join(',\n    ');
    return this.emit(`SELECT ${names} FROM (VALUES ${tuples}) AS v(${names}, ${this.q('__ord')}) ORDER BY ${this.q('__ord')}`, columns);
  }

  private project(node: Project): Relation {
    const input = this.relation(node.input);
    const scope = this.scopeOf(input);
    const select = node.exprs.map(e => `${this.scalar(e.expr, scope)} AS ${this.q(e.name)}`).join(', ');
    const kept = keptOrder(input.order, node.exprs);
    // A projection that drops the sort keys still hands on its rows in order (Kusto keeps it).
    const order = input.order && !kept ? ` ORDER BY ${this.orderTerms(input.order, scope)}` : '';
    return this.emit(`SELECT ${select} FROM ${input.name}${order}`, node.columns, kept);
  }

  private aggregate(node: Aggregate): Relation {
    const input = this.relation(node.input);
    const scope = this.scopeOf(input);
    const select: string[] = node.keys.map(k => `${this.scalar(k.expr, scope)} AS ${this.q(k.name)}`);
    const unpack: string[] = node.keys.map(k => this.q(k.name));
    let needsUnpack = false;
    node.aggregations.forEach((agg, i) => {
      const template = this.dialect.aggregates[agg.fn];
      if (!template) throw new UnsupportedFunctionError(agg.fn, agg.span, 'aggregate');
      const args = agg.args.map(a => this.arg(a, scope));
      const sql = template(args, agg, this.context(scope));
      if (agg.outputs.length === 1 && !this.dialect.structAggregates.has(agg.fn)) {
        select.push(`${sql} AS ${this.q(agg.outputs[0]!.name)}`);
        unpack.push(this.q(agg.outputs[0]!.name));
      } else {
        // Multi-column aggregates return a struct {v0, v1, ...}: unpacked by the next step.
        needsUnpack = true;
        const hidden = this.q(`__agg${i}`);
        select.push(`${sql} AS ${hidden}`);
        agg.outputs.forEach((o, j) => unpack.push(`${hidden}.${this.q(`v${j}`)} AS ${this.q(o.name)}`));
      }
    });
    const groupBy = node.keys.length ? ` GROUP BY ${node.keys.map((_, i) => String(i + 1)).join(', ')}` : '';
    const grouped = this.emit(`SELECT ${select.join(', ')} FROM ${input.name}${groupBy}`, needsUnpack ? [] : node.columns);
    if (!needsUnpack) return grouped;
    return this.emit(`SELECT ${unpack.join(', ')} FROM ${grouped.name}`, node.columns);
  }

  private join(node: Join): Relation {
    let left = this.relation(node.left);
    const right = this.relation(node.right);
    const l = 'l';
    const r = 'r';
    const leftScope = { qualifier: l, order: '' };
    const rightScope = { qualifier: r, order: '' };
    if (node.joinKind === 'innerunique' && node.leftKeys.length) {
      // Kusto keeps one left row per join key before an inner join.
      const keys = node.leftKeys.map(k => this.scalar(k, { order: '' })).join(', ');
      left = this.emit(`SELECT * FROM ${left.name} QUALIFY row_number() OVER (PARTITION BY ${keys}) = 1`, left.columns);
    }
    const eq = node.nullSafe ? 'IS NOT DISTINCT FROM' : '=';
    const conditions = node.leftKeys.map((k, i) => `${this.scalar(k, leftScope)} ${eq} ${this.scalar(node.rightKeys[i]!, rightScope)}`);
    if (node.residual && node.residualColumns) {
      const columns = new Map<string, string>();
      for (const [name, ref] of node.residualColumns) columns.set(name, `${ref.side === 'left' ? l : r}.${this.q(ref.source)}`);
      // In a join condition null counts as false, as in Kusto's where.
      conditions.push(this.scalar(node.residual, { order: '', columns }));
    }
    const on = conditions.join(' AND ') || 'true';
    const nullableLeft = node.joinKind === 'rightouter' || node.joinKind === 'fullouter';
    const nullableRight = node.joinKind === 'leftouter' || node.joinKind === 'fullouter';
    const select = node.outputs.map(o => {
      const ref = `${o.side === 'left' ? l : r}.${this.q(o.source)}`;
      const nullable = o.side === 'left' ? nullableLeft : nullableRight;
      // Strings are never null in Kusto: a missing match gives "".
      const value = nullable && o.type === 'string' ? `coalesce(${ref}, '')` : ref;
      return `${value} AS ${this.q(o.name)}`;
    }).join(', ');
    let sql: string;
    switch (node.joinKind) {
      case 'leftsemi':
        sql = `SELECT ${select} FROM ${left.name} AS ${l} SEMI JOIN ${right.name} AS ${r} ON ${on}`;
        break;
      case 'leftanti':
        sql = `SELECT ${select} FROM ${left.name} AS ${l} ANTI JOIN ${right.name} AS ${r} ON ${on}`;
        break;
      case 'rightsemi':
        sql = `SELECT ${select} FROM ${right.name} AS ${r} SEMI JOIN ${left.name} AS ${l} ON ${on}`;
        break;
      case 'rightanti':
        sql = `SELECT ${select} FROM ${right.name} AS ${r} ANTI JOIN ${left.name} AS ${l} ON ${on}`;
        break;
      default: {
        const kind = { inner: 'INNER', innerunique: 'INNER', leftouter: 'LEFT', rightouter: 'RIGHT', fullouter: 'FULL' }[node.joinKind];
        sql = `SELECT ${select} FROM ${left.name} AS ${l} ${kind} JOIN ${right.name} AS ${r} ON ${on}`;
      }
    }
    return this.emit(sql, node.columns);
  }

  private mvExpand(node: MvExpand): Relation {
    const input = this.relation(node.input);
    const scope = this.scopeOf(input);
    const lists = node.expansions.map(e => {
      let list = this.dialect.mvExpandList(this.scalar(e.source, scope), node.bagExpansion);
      if (node.rowLimit !== undefined) list = `list_slice(${list}, 1, ${this.param(BigInt(node.rowLimit), 'long')})`;
      return list;
    });
    const inner: string[] = ['*'];
    lists.forEach((list, i) => inner.push(`${this.dialect.unnest(list)} AS ${this.q(`__mv${i}`)}`));
    if (node.indexColumn) {
      const longest = lists.map(l => `len(${l})`).join(', ');
      const len = lists.length > 1 ? `greatest(${longest})` : longest;
      inner.push(`${this.dialect.unnest(`range(0, ${len})`)} AS ${this.q('__mvidx')}`);
    }
    // Rows keep the input's order (and the order of the elements within a row).
    const order = input.order ? ` ORDER BY ${this.orderTerms(input.order, scope)}` : '';
    const expanded = this.emit(`SELECT ${inner.join(', ')} FROM ${input.name}${order}`, []);
    const byName = new Map(node.expansions.map((e, i) => [e.name, { i, type: e.type }]));
    const select = node.columns.map(c => {
      const ex = byName.get(c.name);
      if (ex) return `${this.dialect.fromDynamic(this.q(`__mv${ex.i}`), ex.type)} AS ${this.q(c.name)}`;
      if (c.name === node.indexColumn) return `${this.q('__mvidx')} AS ${this.q(c.name)}`;
      return this.q(c.name);
    });
    const replaced = new Set(node.expansions.map(e => e.name));
    const kept = input.order && !input.order.some(k => {
      let hit = false;
      forEachScalar(k.expr, e => {
        if (e.kind === 'column' && replaced.has(e.name)) hit = true;
      });
      return hit;
    }) ? input.order : undefined;
    return this.emit(`SELECT ${select.join(', ')} FROM ${expanded.name}`, node.columns, kept);
  }


  private limit(node: Limit): Relation {
    const input = this.relation(node.input);
    const count = this.scalar(node.count, { order: '' });
    const scope = this.scopeOf(input);
    if (node.partitionBy && node.partitionBy.length) {
      const keys = node.partitionBy.map(k => this.scalar(k, scope)).join(', ');
      const order = input.order ? ` ORDER BY ${this.orderTerms(input.order, scope)}` : '';
      const cols = node.columns.map(c => this.q(c.name)).join(', ');
      return this.emit(`SELECT ${cols} FROM ${input.name} QUALIFY row_number() OVER (PARTITION BY ${keys}${order}) <= ${count}${order ? order : ''}`,
        node.columns, input.order);
    }
    const order = input.order ? ` ORDER BY ${this.orderTerms(input.order, scope)}` : '';
    return this.emit(`SELECT * FROM ${input.name}${order} LIMIT ${count}`, node.columns, input.order);
  }

  private window(node: Window): Relation {
    const input = this.relation(node.input);
    const scope = this.scopeOf(input);
    const partition = node.partitionBy.length ? `PARTITION BY ${node.partitionBy.map(k => this.scalar(k, scope)).join(', ')}` : '';
    const order = node.orderBy.length ? `ORDER BY ${this.orderTerms(node.orderBy, scope)}` : '';
    const replaced = new Set(node.outputs.map(o => o.name));
    const select = input.columns.filter(c => !replaced.has(c.name)).map(c => this.q(c.name));
    for (const o of node.outputs) {
      const args = o.args.map(a => this.scalar(a, scope));
      const aggregate = ['count', 'sum', 'min', 'max', 'avg', 'first_value', 'last_value'].includes(o.fn);
      const frame = aggregate
        ? (o.frame === 'running' ? 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW' : 'ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING')
        : '';
      const fn = o.fn === 'count' && args.length === 0 ? 'count(*)' : `${o.fn}(${args.join(', ')})`;
      select.push(`${fn} OVER (${[partition, order, frame].filter(Boolean).join(' ')}) AS ${this.q(o.name)}`);
    }
    return this.emit(`SELECT ${select.join(', ')} FROM ${input.name}`, node.columns, input.order);
  }

  /**
   * make-series: the bounds of the axis, the aggregates per group and bin, then per group one
   * array per aggregate over every bin (absent bins get the default) and the axis array.
   */
  private makeSeries(node: MakeSeries): Relation {
    const input = this.relation(node.input);
    const plain: ScalarScope = { order: '' };
    const axisType = node.axis.type;
    const spanType = axisType === 'datetime' ? 'timespan' : axisType;
    const startRef = column('__start', axisType);
    const endRef = column('__end', axisType);
    // Bounds: one row (__start, __end).
    let bounds: Relation;
    const binAt = (v: ScalarExpr) => call('bin_at', [v, node.step, startRef], axisType);
    if (node.start && node.end) {
      bounds = this.emit(`SELECT ${this.scalar(node.start, plain)} AS "__start", ${this.scalar(node.end, plain)} AS "__end"`, []);
    } else {
      const start = node.start
        ? `SELECT ${this.scalar(node.start, plain)} AS "__start"`
        : `SELECT min(${this.scalar(call('bin', [node.axis, node.step], axisType), plain)}) AS "__start" FROM ${input.name}`;
      const first = this.emit(start, []);
      if (node.end) {
        bounds = this.emit(`SELECT "__start", ${this.scalar(node.end, plain)} AS "__end" FROM ${first.name}`, []);
      } else {
        const last = this.emit(`SELECT b."__start", max(${this.scalar(binAt(node.axis), plain)}) AS "__last" FROM ${input.name}, ${first.name} AS b GROUP BY b."__start"`, []);
        const end = this.scalar(call('add', [column('__last', axisType), node.step], axisType), plain);
        bounds = this.emit(`SELECT "__start", ${end} AS "__end" FROM ${last.name}`, []);
      }
    }
    // Aggregates per group and bin index.
    const real = (e: ScalarExpr) => (e.type === 'real' ? e : call('toreal', [e], 'real'));
    const ratio = (a: ScalarExpr) => call('div', [real(call('sub', [a, startRef], spanType)), real(node.step)], 'real');
    const index = call('tolong', [call('round', [ratio(binAt(node.axis))], 'real')], 'long');
    const bins = call('tolong', [call('ceiling', [ratio(endRef)], 'real')], 'long');
    const keyNames = node.keys.map(k => this.q(k.name));
    const select = node.keys.map(k => `${this.scalar(k.expr, plain)} AS ${this.q(k.name)}`);
    select.push(`${this.scalar(index, plain)} AS "__idx"`);
    node.series.forEach((s, i) => {
      const agg = s.aggregation;
      const template = this.dialect.aggregates[agg.fn];
      if (!template) throw new UnsupportedFunctionError(agg.fn, agg.span, 'aggregate');
      select.push(`${template(agg.args.map(a => this.arg(a, plain)), agg, this.context(plain))} AS ${this.q(`__s${i}`)}`);
    });
    const axis = this.scalar(node.axis, plain);
    const groupBy = [...node.keys.map((_, i) => String(i + 1)), String(node.keys.length + 1)].join(', ');
    const grouped = this.emit(`SELECT ${select.join(', ')} FROM ${input.name}, ${bounds.name} WHERE ${axis} >= "__start" AND ${axis} < "__end" GROUP BY ${groupBy}`, []);
    // The groups, each with every bin index.
    const groupKeys = node.keys.length ? keyNames : ['"__one"'];
    const groups = node.keys.length
      ? `SELECT DISTINCT ${keyNames.join(', ')} FROM ${grouped.name}`
      : node.nonEmpty ? 'SELECT 1 AS "__one"' : `SELECT DISTINCT 1 AS "__one" FROM ${grouped.name}`;
    const keys = this.emit(groups, []);
    const cells = this.emit(`SELECT k.*, ${this.dialect.unnest(this.dialect.indexList(this.scalar(bins, plain)))} AS "__i" FROM ${keys.name} AS k, ${bounds.name}`, []);
    const on = [...node.keys.map(k => `c.${this.q(k.name)} IS NOT DISTINCT FROM g.${this.q(k.name)}`), 'c."__i" = g."__idx"'].join(' AND ');
    const columns = new Map<string, string>();
    node.series.forEach((_, i) => columns.set(`__s${i}`, `g.${this.q(`__s${i}`)}`));
    columns.set('__i', 'c."__i"');
    columns.set('__start', 'b."__start"');
    const scope: ScalarScope = { order: '', columns };
    const order = 'c."__i"';
    const out: string[] = node.keys.map(k => `c.${this.q(k.name)} AS ${this.q(k.name)}`);
    node.series.forEach((s, i) => {
      const type = s.aggregation.outputs[0]!.type;
      const value = call('coalesce', [column(`__s${i}`, type), s.defaultValue], type);
      out.push(`${this.dialect.jsonArrayAgg(this.scalar(call('as_dynamic', [value], 'dynamic'), scope), order)} AS ${this.q(s.aggregation.outputs[0]!.name)}`);
    });
    const position = call('add', [startRef, call('mul', [node.step, column('__i', 'long')], node.step.type)], axisType);
    out.push(`${this.dialect.jsonArrayAgg(this.scalar(call('as_dynamic', [position], 'dynamic'), scope), order)} AS ${this.q(node.axisName)}`);
    const body = `SELECT ${out.join(', ')} FROM ${cells.name} AS c LEFT JOIN ${grouped.name} AS g ON ${on}, ${bounds.name} AS b GROUP BY ${groupKeys.map(k => `c.${k}`).join(', ')}`;
    const series = this.emit(body, []);
    return this.emit(`SELECT ${node.columns.map(c => this.q(c.name)).join(', ')} FROM ${series.name}`, node.columns);
  }

  /**
   * Kusto's scan as a recursive CTE: one iteration per input row (per partition), carrying each
   * step's state (active flag, match id, the state values the expressions read) and the outputs
   * of the current row. Steps are checked from the last to the first, as Kusto does.
   */
  private sequenceScan(node: SequenceScan): Relation {
    const input = this.relation(node.input);
    const q = (n: string) => this.q(n);
    const plain: ScalarScope = { order: '' };
    const inputScope = this.scopeOf(input);
    const n = node.steps.length;
    const order = node.orderBy.length ? this.orderTerms(node.orderBy, inputScope) : (input.order ? this.orderTerms(input.order, inputScope) : '');
    const parts = node.partitionBy.map((p, i) => ({ name: `__p${i}`, sql: this.scalar(p, inputScope) }));
    const partitionSql = parts.length ? `PARTITION BY ${parts.map(p => p.sql).join(', ')} ` : '';
    const inputCols = input.columns.map(c => q(c.name));
    const src = this.emit(`SELECT ${[...inputCols, ...parts.map(p => `${p.sql} AS ${q(p.name)}`)].join(', ')}, row_number() OVER (${partitionSql}${order ? `ORDER BY ${order}` : ''}) AS "__rn" FROM ${input.name}`, []);
    const refType = (j: number, c: string): KustoType => {
      const d = node.declared.find(x => x.name === c);
      if (d) return d.expr.type;
      return input.columns.find(x => x.name === c)?.type ?? 'dynamic';
    };
    const declaredDefault = node.declared.map(d => this.scalar(d.expr, plain));
    const emptyValue = (c: string, type: KustoType): string => {
      const i = node.declared.findIndex(x => x.name === c);
      return i >= 0 ? declaredDefault[i]! : this.dialect.nullLiteral(type);
    };
    const refs = node.stateRefs.map(([j, c], idx) => ({ j, c, idx, type: refType(j, c) }));
    const v = (k: number, idx: number) => q(`__v${k}_${idx}`);
    /** How an expression sees the row and a state: `state` is a step index, or -1 for the empty state. */
    const mapFor = (state: number): Map<string, string> => {
      const m = new Map<string, string>();
      node.declared.forEach((d, i) => m.set(d.name, declaredDefault[i]!));
      for (const r of refs) m.set(stateRef(r.j, r.c), state >= 0 && r.j <= state ? v(state, r.idx) : emptyValue(r.c, r.type));
      return m;
    };
    const expr = (e: ScalarExpr, state: number) => this.scalar(e, { order: '', columns: mapFor(state) });
    // The columns of the state row.
    const stateCols: { name: string; init: string }[] = [
      ...parts.map(p => ({ name: p.name, init: q(p.name) })),
      { name: '__rn', init: 'CAST(0 AS BIGINT)' },
      { name: '__next', init: 'CAST(0 AS BIGINT)' },
    ];
    const longNull = this.dialect.nullLiteral('long');
    for (let k = 0; k < n; k++) {
      stateCols.push({ name: `__a${k}`, init: 'false' }, { name: `__id${k}`, init: longNull });
      for (const r of refs) if (r.j <= k) stateCols.push({ name: `__v${k}_${r.idx}`, init: this.dialect.nullLiteral(r.type) });
      stateCols.push({ name: `__o${k}`, init: 'false' }, { name: `__oid${k}`, init: longNull });
      node.declared.forEach((d, i) => stateCols.push({ name: `__d${k}_${i}`, init: this.dialect.nullLiteral(d.expr.type) }));
    }
    const name = this.reserve();
    const base = parts.length
      ? `SELECT DISTINCT ${stateCols.map(c => `${c.init} AS ${q(c.name)}`).join(', ')} FROM ${src.name}`
      : `SELECT ${stateCols.map(c => `${c.init} AS ${q(c.name)}`).join(', ')}`;
    // A0: the previous state joined with the next row.
    const carried = stateCols.filter(c => c.name !== '__rn' && !c.name.startsWith('__p')).map(c => `st.${q(c.name)}`);
    const joinOn = [...parts.map(p => `s.${q(p.name)} IS NOT DISTINCT FROM st.${q(p.name)}`), 's."__rn" = st."__rn" + 1'].join(' AND ');
    const a0 = `SELECT ${[...inputCols.map(c => `s.${c}`), ...parts.map(p => `s.${q(p.name)}`), 's."__rn"', ...carried].join(', ')} FROM ${name} AS st JOIN ${src.name} AS s ON ${joinOn}`;
    // A1: the step conditions against the previous step's state (check 1) and the step's own (check 2).
    const conds: string[] = [];
    node.steps.forEach((step, k) => {
      if (k > 0) conds.push(`${expr(step.condition, k - 1)} AS ${q(`__c1_${k}`)}`);
      conds.push(`${expr(step.condition, k)} AS ${q(`__c2_${k}`)}`);
      if (k === 0) conds.push(`${expr(step.condition, -1)} AS "__c2e_0"`);
    });
    const a1 = `SELECT *, ${conds.join(', ')} FROM (${a0})`;
    // B: which check matched each step.
    const m1 = (k: number) => (k > 0 && k < n ? `(__a${k - 1} AND coalesce(${q(`__c1_${k}`)}, false))` : 'false');
    const flags: string[] = [];
    for (let k = 0; k < n; k++) {
      flags.push(`${m1(k)} AS ${q(`__m1_${k}`)}`);
      if (k === 0) {
        flags.push(`(NOT __a0 OR ${m1(1)}) AS "__e0"`);
        flags.push(`(CASE WHEN (NOT __a0 OR ${m1(1)}) THEN coalesce("__c2e_0", false) ELSE coalesce("__c2_0", false) END) AS "__m2_0"`);
      } else {
        flags.push(`(NOT ${m1(k)} AND __a${k} AND NOT ${m1(k + 1)} AND coalesce(${q(`__c2_${k}`)}, false)) AS ${q(`__m2_${k}`)}`);
      }
    }
    const b = `SELECT *, ${flags.join(', ')} FROM (${a1})`;
    // C: the declared values of the row extended by each step.
    const values: string[] = [];
    node.steps.forEach((step, k) => {
      node.declared.forEach((d, i) => {
        const assigned = step.assignments.find(a => a.name === d.name);
        let sql = declaredDefault[i]!;
        if (assigned) {
          const check2 = k === 0
            ? `CASE WHEN "__e0" THEN ${expr(assigned.expr, -1)} ELSE ${expr(assigned.expr, 0)} END`
            : expr(assigned.expr, k);
          sql = k > 0
            ? `CASE WHEN ${q(`__m1_${k}`)} THEN ${expr(assigned.expr, k - 1)} WHEN ${q(`__m2_${k}`)} THEN ${check2} END`
            : `CASE WHEN "__m2_0" THEN ${check2} END`;
        }
        values.push(`${sql} AS ${q(`__x${k}_${i}`)}`);
      });
    });
    const c = values.length ? `SELECT *, ${values.join(', ')} FROM (${b})` : b;
    // D: the new state and this row's outputs.
    const next: string[] = [...parts.map(p => q(p.name)), '"__rn"', `"__next" + CASE WHEN "__m2_0" AND "__e0" THEN 1 ELSE 0 END AS "__next"`];
    for (let k = 0; k < n; k++) {
      const matched = `(${q(`__m1_${k}`)} OR ${q(`__m2_${k}`)})`;
      const promoted = k + 1 < n ? q(`__m1_${k + 1}`) : 'false';
      const id = `CASE WHEN ${q(`__m1_${k}`)} THEN ${k > 0 ? q(`__id${k - 1}`) : longNull} WHEN ${q(`__m2_${k}`)} THEN ${k === 0 ? `CASE WHEN "__e0" THEN "__next" ELSE "__id0" END` : q(`__id${k}`)} WHEN ${promoted} THEN ${longNull} ELSE ${q(`__id${k}`)} END`;
      next.push(`(${matched} OR (__a${k} AND NOT ${promoted})) AS ${q(`__a${k}`)}`, `${id} AS ${q(`__id${k}`)}`);
      for (const r of refs) {
        if (r.j > k) continue;
        const nul = this.dialect.nullLiteral(r.type);
        if (r.j < k) {
          next.push(`CASE WHEN ${q(`__m1_${k}`)} THEN ${v(k - 1, r.idx)} WHEN ${q(`__m2_${k}`)} THEN ${v(k, r.idx)} WHEN ${promoted} THEN ${nul} ELSE ${v(k, r.idx)} END AS ${v(k, r.idx)}`);
        } else {
          const di = node.declared.findIndex(d => d.name === r.c);
          const own = di >= 0 ? q(`__x${k}_${di}`) : q(r.c);
          next.push(`CASE WHEN ${matched} THEN ${own} WHEN ${promoted} THEN ${nul} ELSE ${v(k, r.idx)} END AS ${v(k, r.idx)}`);
        }
      }
      next.push(`${node.steps[k]!.output === 'none' ? 'false' : matched} AS ${q(`__o${k}`)}`, `${id} AS ${q(`__oid${k}`)}`);
      node.declared.forEach((_, i) => next.push(`${q(`__x${k}_${i}`)} AS ${q(`__d${k}_${i}`)}`));
    }
    const recursive = `SELECT ${next.join(', ')} FROM (${c})`;
    this.ctes.push(`${name} AS (\n  ${base}\n  UNION ALL\n  ${recursive}\n)`);
    this.recursive = true;
    // The output rows: per row, the steps that output it (last step first).
    const outRows = node.steps.map((_, k) => {
      const cols = [
        ...inputCols.map(col => `s.${col}`),
        ...node.declared.map((d, i) => `st.${q(`__d${k}_${i}`)} AS ${q(d.name)}`),
        `st.${q(`__oid${k}`)} AS "__mid"`, `${n - k} AS "__step"`, 's."__rn"', ...parts.map(p => `s.${q(p.name)}`),
      ];
      return `SELECT ${cols.join(', ')} FROM ${name} AS st JOIN ${src.name} AS s ON ${joinOn.replace('st."__rn" + 1', 'st."__rn"')} WHERE st.${q(`__o${k}`)}`;
    });
    const lastSteps = node.steps.map((s, k) => (s.output === 'last' ? n - k : 0)).filter(x => x > 0);
    const qualify = lastSteps.length
      ? ` QUALIFY "__step" NOT IN (${lastSteps.join(', ')}) OR row_number() OVER (PARTITION BY ${[...parts.map(p => q(p.name)), '"__mid"', '"__step"'].join(', ')} ORDER BY "__rn" DESC) = 1`
      : '';
    const matches = this.emit(`SELECT * FROM (${outRows.join('\n  UNION ALL\n  ')})${qualify}`, []);
    const select = node.columns.map(col => {
      if (col.name === node.matchIdColumn) return `"__mid" AS ${q(col.name)}`;
      return q(col.name);
    });
    const orderOut = [...parts.map(p => q(p.name)), '"__rn"', '"__step" DESC'].join(', ');
    return this.emit(`SELECT ${select.join(', ')} FROM ${matches.name} ORDER BY ${orderOut}`, node.columns, parts.length ? undefined : input.order);
  }




  // ---------------------------------------------------------------- graphs

  /** A node's record: its properties and degrees, as one value. */
  private nodeRecords(nodes: Relation): Relation {
    const fields = nodes.columns.filter(c => c.name !== '__nid').map(c => [c.name, this.q(c.name)] as const);
    return this.emit(`SELECT "__nid", ${this.dialect.recordOf(fields)} AS "__rec" FROM ${nodes.name}`, []);
  }

  /** The edges as (a, b) pairs in a direction, each with its id and a record of its properties. */
  private orientedEdges(edges: Relation, direction: 'forward' | 'backward' | 'any'): Relation {
    const fields = edges.columns.filter(c => !['__src', '__dst', '__eid'].includes(c.name)).map(c => [c.name, this.q(c.name)] as const);
    const rec = this.dialect.recordOf(fields);
    const forward = `SELECT "__src" AS "a", "__dst" AS "b", "__eid", ${rec} AS "__rec" FROM ${edges.name}`;
    const backward = `SELECT "__dst" AS "a", "__src" AS "b", "__eid", ${rec} AS "__rec" FROM ${edges.name}`;
    return this.emit(direction === 'forward' ? forward : direction === 'backward' ? backward : `${forward}\n  UNION ALL\n  ${backward}`, []);
  }

  /**
   * Paths of min..max edges (a recursive CTE): start s, end t, length, edge ids, node ids, and the
   * records of the edges and of the inner nodes, in order.
   */
  private graphPaths(oriented: Relation, records: Relation, max: number, cycles: 'all' | 'none' | 'unique_edges'): Relation {
    const d = this.dialect;
    const name = this.reserve();
    const base = `SELECT o."a" AS "s", o."b" AS "t", CAST(1 AS BIGINT) AS "len", ${d.listOf(['o."__eid"'])} AS "eids", ${d.listOf(['o."a"', 'o."b"'])} AS "nids", `
      + `${d.listOf(['o."__rec"'])} AS "edges", ${d.emptyListLike(d.listOf(['n."__rec"']))} AS "inner" FROM ${oriented.name} AS o JOIN ${records.name} AS n ON n."__nid" = o."a"`;
    const conditions = [`p."len" < ${max}`];
    if (cycles !== 'all') conditions.push(`NOT ${d.listContains('p."eids"', 'o."__eid"')}`);
    if (cycles === 'none') conditions.push(`NOT ${d.listContains('p."nids"', 'o."b"')}`);
    const step = `SELECT p."s", o."b", p."len" + 1, ${d.listAppend('p."eids"', 'o."__eid"')}, ${d.listAppend('p."nids"', 'o."b"')}, `
      + `${d.listAppend('p."edges"', 'o."__rec"')}, ${d.listAppend('p."inner"', 'n."__rec"')} `
      + `FROM ${name} AS p JOIN ${oriented.name} AS o ON o."a" = p."t" JOIN ${records.name} AS n ON n."__nid" = p."t" WHERE ${conditions.join(' AND ')}`;
    this.ctes.push(`${name} AS (\n  ${base}\n  UNION ALL\n  ${step}\n)`);
    this.recursive = true;
    return { name, columns: [] };
  }

  private graphMatch(node: GraphMatch): Relation {
    const d = this.dialect;
    const q = (n: string) => this.q(n);
    const nodes = this.relation(node.nodes);
    const edges = this.relation(node.edges);
    const records = this.nodeRecords(nodes);
    // The matches, one segment at a time: per node variable its id and record, per segment its lists.
    let m = this.emit(`SELECT "__nid" AS ${q(node.nodeVars[0]!)}, "__rec" AS ${q(`${node.nodeVars[0]}#`)}, ${d.listOf(['"__nid"'])} AS "__nids", `
      + `${d.emptyListLike(d.listOf(['CAST(0 AS BIGINT)']))} AS "__eids", CAST(0 AS BIGINT) AS "__len" FROM ${records.name}`, []);
    const seen = new Set([node.nodeVars[0]!]);
    node.segments.forEach((seg, i) => {
      const from = node.nodeVars[i]!;
      const to = node.nodeVars[i + 1]!;
      const paths = this.graphPaths(this.orientedEdges(edges, seg.direction), records, seg.max, node.cycles);
      const on = [`p."s" = m.${q(from)}`, `p."len" >= ${seg.min}`, `p."len" <= ${seg.max}`, 'n."__nid" = p."t"'];
      if (node.cycles !== 'all') on.push(`NOT ${d.listHasAny('m."__eids"', 'p."eids"')}`);
      if (node.cycles === 'none') on.push(`NOT ${d.listHasAny('m."__nids"', `list_slice(p."nids", 2, ${d.listLength('p."nids"')})`)}`);
      const repeated = seen.has(to);
      if (repeated) on.push(`n."__nid" = m.${q(to)}`);
      const cols = [
        'm.*',
        `p."edges" AS ${q(`${seg.edgeVar}#edges`)}`, `p."inner" AS ${q(`${seg.edgeVar}#inner`)}`, `p."len" AS ${q(`${seg.edgeVar}#len`)}`,
      ];
      if (!repeated) cols.push(`n."__nid" AS ${q(to)}`, `n."__rec" AS ${q(`${to}#`)}`);
      const replaced = new Set(['__nids', '__eids', '__len']);
      m = this.emit(`SELECT ${cols.join(', ').replace('m.*', `m.* EXCLUDE (${[...replaced].map(q).join(', ')})`)}, `
        + `${d.listConcat('m."__nids"', `list_slice(p."nids", 2, ${d.listLength('p."nids"')})`)} AS "__nids", ${d.listConcat('m."__eids"', 'p."eids"')} AS "__eids", m."__len" + p."len" AS "__len" `
        + `FROM ${m.name} AS m JOIN ${paths.name} AS p ON ${on.slice(0, 3).join(' AND ')} JOIN ${records.name} AS n ON ${on.slice(3).join(' AND ')}`, []);
      seen.add(to);
    });
    // Expressions read `var.prop` from the records; `var#edges`/`var#inner` are the path lists.
    const columns = new Map<string, string>();
    const nodeFields = nodes.columns.filter(c => c.name !== '__nid');
    const edgeFields = edges.columns.filter(c => !['__src', '__dst', '__eid'].includes(c.name));
    for (const v of seen) for (const f of nodeFields) columns.set(`${v}.${f.name}`, d.recordField(q(`${v}#`), f.name));
    for (const seg of node.segments) {
      for (const f of edgeFields) columns.set(`${seg.edgeVar}.${f.name}`, d.recordField(d.listElement(q(`${seg.edgeVar}#edges`), 1), f.name));
      columns.set(`${seg.edgeVar}#edges`, q(`${seg.edgeVar}#edges`));
      columns.set(`${seg.edgeVar}#inner`, q(`${seg.edgeVar}#inner`));
    }
    const saved = this.graphColumns;
    this.graphColumns = columns;
    try {
      const scope: ScalarScope = { order: '', columns };
      const where = node.where ? ` WHERE coalesce(${this.scalar(node.where, scope)}, false)` : '';
      const select = node.project.map(p => `${this.scalar(p.expr, scope)} AS ${q(p.name)}`);
      let qualify = '';
      if (node.shortest) {
        const first = q(node.nodeVars[0]!);
        const last = q(node.nodeVars[node.nodeVars.length - 1]!);
        // output=any keeps one path per pair: the first by length, then by its edges' order in the input.
        qualify = node.shortest === 'all'
          ? ` QUALIFY rank() OVER (PARTITION BY ${first}, ${last} ORDER BY "__len") = 1`
          : ` QUALIFY row_number() OVER (PARTITION BY ${first}, ${last} ORDER BY "__len", "__eids") = 1`;
      }
      return this.emit(`SELECT ${select.join(', ')} FROM ${m.name}${where}${qualify}`, node.columns);
    } finally {
      this.graphColumns = saved;
    }
  }

  /** graph_map / graph_any / graph_all / graph_len over a path list (see GraphMatch). */
  private graphCall(expr: { fn: string; args: readonly ScalarExpr[] }, scope: ScalarScope): string {
    const d = this.dialect;
    const list = this.scalar(expr.args[0]!, scope);
    if (expr.fn === 'graph_len') return d.listLength(list);
    const param = `__el${++this.lambdas}`;
    // The body sees the element's fields as plain columns, and everything else as before.
    const columns = new Map(scope.columns ?? []);
    const names = new Set<string>();
    forEachScalar(expr.args[1]!, e => {
      if (e.kind === 'column' && !columns.has(e.name)) names.add(e.name);
    });
    for (const n of names) columns.set(n, d.recordField(param, n));
    const body = this.scalar(expr.args[1]!, { order: '', columns });
    switch (expr.fn) {
      case 'graph_map':
        return d.jsonArrayOf(d.listTransform(list, param, body));
      case 'graph_any':
        return d.listAnyTrue(d.listTransform(list, param, body));
      case 'graph_all':
        return d.listAllTrue(d.listTransform(list, param, body));
      default:
        throw new UnsupportedFunctionError(expr.fn, undefined);
    }
  }

  /** Weakly connected components: each node labelled with the first-numbered node it reaches. */
  private graphComponents(node: GraphComponents): Relation {
    const q = (n: string) => this.q(n);
    const nodes = this.relation(node.nodes);
    const edges = this.relation(node.edges);
    const numbered = this.emit(`SELECT "__nid", row_number() OVER () AS "__ord" FROM ${nodes.name}`, []);
    const links = this.emit(`SELECT "__src" AS "a", "__dst" AS "b" FROM ${edges.name} UNION SELECT "__dst", "__src" FROM ${edges.name}`, []);
    const name = this.reserve();
    this.ctes.push(`${name} AS (\n  SELECT "__nid" AS "n", "__nid" AS "r" FROM ${nodes.name}\n  UNION\n  SELECT c."n", l."b" FROM ${name} AS c JOIN ${links.name} AS l ON l."a" = c."r"\n)`);
    this.recursive = true;
    const labels = this.emit(`SELECT c."n", min(o."__ord") AS "__label" FROM ${name} AS c JOIN ${numbered.name} AS o ON o."__nid" = c."r" GROUP BY c."n"`, []);
    const select = node.columns.map(c => (c.name === node.idColumn
      ? `CAST(dense_rank() OVER (ORDER BY l."__label") - 1 AS BIGINT) AS ${q(c.name)}`
      : `x.${q(c.name)}`));
    return this.emit(`SELECT ${select.join(', ')} FROM ${nodes.name} AS x JOIN ${labels.name} AS l ON l."n" = x."__nid" ORDER BY l."__label"`, node.columns);
  }

  private orderTerms(keys: readonly SortKey[], scope: ScalarScope): string {
    return keys.map(k => `${this.scalar(k.expr, scope)} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ');
  }

  // ---------------------------------------------------------------- scalars

  private param(value: LiteralValue, type: KustoType): string {
    this.params.push({ value, type });
    return this.dialect.placeholder(this.params.length, type);
  }

  private literal(value: LiteralValue, type: KustoType): string {
    if (value === null) return this.dialect.nullLiteral(type);
    return this.param(value, type);
  }

  private context(scope: ScalarScope): SqlContext {
    return {
      param: (value, type) => this.literal(value, type),
      sqlType: type => this.dialect.sqlType(type),
      scalar: expr => this.scalar(expr, scope),
      order: scope.order,
    };
  }

  /** An argument compiled when (and only if) a template uses it, so unused values bind no parameter. */
  private arg(expr: ScalarExpr, scope: ScalarScope): SqlArg {
    let compiled: string | undefined;
    const compile = () => (compiled ??= this.scalar(expr, scope));
    return {
      get sql() {
        return compile();
      },
      type: expr.type,
      ir: expr,
    };
  }

  scalar(expr: ScalarExpr, scope: ScalarScope): string {
    switch (expr.kind) {
      case 'column': {
        const mapped = scope.columns?.get(expr.name);
        if (mapped !== undefined) return mapped;
        return scope.qualifier ? `${scope.qualifier}.${this.q(expr.name)}` : this.q(expr.name);
      }
      case 'literal':
        return this.literal(expr.value, expr.type);
      case 'call': {
        if (this.graphColumns && expr.fn.startsWith('graph_')) return this.graphCall(expr, scope);
        const template = this.dialect.functions[expr.fn];
        if (!template) throw new UnsupportedFunctionError(expr.fn, expr.span);
        return template(expr.args.map(a => this.arg(a, scope)), expr, this.context(scope));
      }
      case 'case': {
        const whens = expr.branches.map(b => `WHEN ${this.scalar(b.when, scope)} THEN ${this.scalar(b.then, scope)}`).join(' ');
        return `CASE ${whens} ELSE ${this.scalar(expr.otherwise, scope)} END`;
      }
      case 'window': {
        const template = this.dialect.windows[expr.fn];
        if (!template) throw new UnsupportedFunctionError(expr.fn, expr.span);
        const partition = expr.partition ? this.scalar(expr.partition, scope) : '';
        return template(expr.args.map(a => this.arg(a, scope)), expr, { ...this.context(scope), partition });
      }
      case 'scalar-subquery': {
        const rel = this.relation(expr.input);
        const col = rel.columns[0];
        if (!col) return this.dialect.nullLiteral(expr.type);
        return `(SELECT ${this.q(col.name)} FROM ${rel.name} LIMIT 1)`;
      }
      case 'set-predicate': {
        const rel = this.relation(expr.input);
        const col = rel.columns[0];
        if (!col) return 'false';
        const operand = this.scalar(expr.operand, scope);
        const ref = `${rel.name}.${this.q(col.name)}`;
        switch (expr.op) {
          case 'in':
            return `(${operand} IN (SELECT ${ref} FROM ${rel.name}))`;
          case 'in_ci':
            return `(lower(${operand}) IN (SELECT lower(CAST(${ref} AS VARCHAR)) FROM ${rel.name}))`;
          case 'has_any':
          case 'has_all': {
            const has = this.dialect.functions['has_dynamic_needle'];
            if (!has) throw new UnsupportedFunctionError(expr.op, undefined);
            const test = has([{ sql: operand, type: 'string', ir: expr.operand }, { sql: `CAST(${ref} AS VARCHAR)`, type: 'string', ir: expr.operand }],
              { kind: 'call', fn: 'has', args: [], type: 'bool' }, this.context(scope));
            return expr.op === 'has_any'
              ? `EXISTS (SELECT 1 FROM ${rel.name} WHERE ${test})`
              : `NOT EXISTS (SELECT 1 FROM ${rel.name} WHERE NOT (${test}))`;
          }
        }
      }
    }
  }
}

/** Every name in a plan (columns, outputs...) that another name equals case-insensitively. */
function caseClashes(plan: RelNode): Set<string> {
  const byLower = new Map<string, Set<string>>();
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    const name = (value as { name?: unknown }).name;
    if (typeof name === 'string') {
      const key = name.toLowerCase();
      let names = byLower.get(key);
      if (!names) byLower.set(key, (names = new Set()));
      names.add(name);
    }
    const values = value instanceof Map ? [...value.keys(), ...value.values()].map(v => (typeof v === 'string' ? { name: v } : v)) : Object.values(value);
    for (const v of values) visit(v);
  };
  visit(plan);
  const out = new Set<string>();
  for (const names of byLower.values()) if (names.size > 1) for (const n of names) out.add(n);
  return out;
}

/** The order a projection keeps: its input order, if every sort key survives unchanged. */
function keptOrder(order: readonly SortKey[] | undefined, exprs: readonly NamedExpr[]): readonly SortKey[] | undefined {
  if (!order) return undefined;
  const passed = new Set(exprs.filter(e => e.expr.kind === 'column' && e.expr.name === e.name).map(e => e.name));
  for (const key of order) {
    let ok = true;
    forEachScalar(key.expr, e => {
      if (e.kind === 'column' && !passed.has(e.name)) ok = false;
      if (e.kind === 'window' || e.kind === 'scalar-subquery') ok = false;
    });
    if (!ok) return undefined;
  }
  return order;
}
