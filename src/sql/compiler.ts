// IR → SQL. Each relational operator becomes one common table expression over its input; values
// go out as bound parameters, so nothing from the query text is spliced into SQL. Dialect hooks
// decide quoting, types, functions and the few relational forms that differ between engines.
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import type { ScalarExpr, LiteralValue } from '../ir/scalar.js';
import { forEachScalar } from '../ir/scalar.js';
import type {
  Aggregate, Join, MvExpand, NamedExpr, Project, RelNode, SortKey,
} from '../ir/relational.js';
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
  /** ORDER BY terms of the input rows, for window functions. */
  readonly order: string;
}

export class SqlCompiler {
  private readonly ctes: string[] = [];
  private readonly params: BoundParameter[] = [];
  private readonly shared = new Map<number, Relation>();
  private next = 0;

  constructor(private readonly dialect: SqlDialect) {}

  compile(plan: RelNode): CompiledQuery {
    const top = this.relation(plan);
    const cols = top.columns.map(c => this.q(c.name)).join(', ');
    const order = top.order ? ` ORDER BY ${this.orderTerms(top.order, { order: '' })}` : '';
    const body = `SELECT ${cols || '*'} FROM ${top.name}${order}`;
    const sql = this.ctes.length ? `WITH ${this.ctes.join(',\n')}\n${body}` : body;
    return { sql, params: this.params, columns: plan.columns };
  }

  // ---------------------------------------------------------------- relations

  private q(name: string): string {
    return this.dialect.quoteIdentifier(name);
  }

  private emit(sql: string, columns: readonly ColumnDef[], order?: readonly SortKey[], materialized = false): Relation {
    const name = `q${++this.next}`;
    this.ctes.push(`${name} AS ${materialized ? 'MATERIALIZED ' : ''}(\n  ${sql}\n)`);
    return { name, columns, order };
  }

  private relation(node: RelNode): Relation {
    switch (node.kind) {
      case 'scan':
        return this.emit(`SELECT ${node.columns.map(c => this.q(c.name)).join(', ')} FROM ${this.q(node.table)}`, node.columns);
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
        const pred = this.scalar(node.predicate, this.scopeOf(input));
        return this.emit(`SELECT * FROM ${input.name} WHERE ${pred}`, node.columns, input.order);
      }
      case 'project':
        return this.project(node);
      case 'aggregate':
        return this.aggregate(node);
      case 'sort': {
        const input = this.relation(node.input);
        return this.emit(`SELECT * FROM ${input.name} ORDER BY ${this.orderTerms(node.keys, this.scopeOf(input))}`, node.columns, node.keys);
      }
      case 'limit': {
        const input = this.relation(node.input);
        const count = this.scalar(node.count, { order: '' });
        const order = input.order ? ` ORDER BY ${this.orderTerms(input.order, this.scopeOf(input))}` : '';
        return this.emit(`SELECT * FROM ${input.name}${order} LIMIT ${count}`, node.columns, input.order);
      }
      case 'distinct': {
        const input = this.relation(node.input);
        return this.emit(`SELECT DISTINCT * FROM ${input.name}`, node.columns);
      }
      case 'join':
        return this.join(node);
      case 'union': {
        const parts = node.inputs.map(i => this.relation(i));
        const cols = node.columns.map(c => this.q(c.name)).join(', ');
        return this.emit(parts.map(p => `SELECT ${cols} FROM ${p.name}`).join('\n  UNION ALL\n  '), node.columns);
      }
      case 'mv-expand':
        return this.mvExpand(node);
      case 'shared': {
        const known = this.shared.get(node.id);
        if (known) return known;
        const input = this.relation(node.input);
        const rel = this.emit(`SELECT * FROM ${input.name}`, node.columns, input.order, node.materialize);
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
    const from = input.columns.length === 0 && input.name ? ` FROM ${input.name}` : ` FROM ${input.name}`;
    return this.emit(`SELECT ${select}${from}`, node.columns, keptOrder(input.order, node.exprs));
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
      if (agg.outputs.length === 1 && agg.fn !== 'arg_max' && agg.fn !== 'arg_min' && agg.fn !== 'any') {
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
    if (node.joinKind === 'innerunique') {
      // Kusto keeps one left row per join key before an inner join.
      const keys = node.leftKeys.map(k => this.scalar(k, { order: '' })).join(', ');
      left = this.emit(`SELECT * FROM ${left.name} QUALIFY row_number() OVER (PARTITION BY ${keys}) = 1`, left.columns);
    }
    const on = node.leftKeys.map((k, i) => `${this.scalar(k, leftScope)} = ${this.scalar(node.rightKeys[i]!, rightScope)}`).join(' AND ') || 'true';
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
    const expanded = this.emit(`SELECT ${inner.join(', ')} FROM ${input.name}`, []);
    const byName = new Map(node.expansions.map((e, i) => [e.name, { i, type: e.type }]));
    const select = node.columns.map(c => {
      const ex = byName.get(c.name);
      if (ex) return `${this.dialect.fromDynamic(this.q(`__mv${ex.i}`), ex.type)} AS ${this.q(c.name)}`;
      if (c.name === node.indexColumn) return `${this.q('__mvidx')} AS ${this.q(c.name)}`;
      return this.q(c.name);
    });
    return this.emit(`SELECT ${select.join(', ')} FROM ${expanded.name}`, node.columns);
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
      case 'column':
        return scope.qualifier ? `${scope.qualifier}.${this.q(expr.name)}` : this.q(expr.name);
      case 'literal':
        return this.literal(expr.value, expr.type);
      case 'call': {
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
        return template(expr.args.map(a => this.arg(a, scope)), expr, this.context(scope));
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
