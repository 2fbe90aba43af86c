// search and find: a predicate over the rows of several tables (the `in (...)` list, the piped
// input, or every table), with Kusto's term syntax: a bare "term" looks in every column, and
// Column:"term" in one; `*` inside a term means prefix/suffix/contains. The tables are aligned to
// one schema and unioned, with the name of each row's table; the output is the binder's schema.
import { DEFENDER_TABLES } from '../schema/defender.js';
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import { call, column, literal, nullOf, type ScalarExpr } from '../ir/scalar.js';
import { filter, project, scan, union, type NamedExpr, type RelNode } from '../ir/relational.js';
import { elements, kindName, namedParameters, parameterText, type Expression, type SyntaxNode } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { asBool, lowerScalar, type RowScope } from './scalar.js';
import { convert } from './convert.js';
import { inputsOf, sourceFor, type UnionInput } from './union.js';
import { escapeRegex } from './parse.js';
import { symbolKind } from './names.js';

const SOURCE = '__source';
const PACK = '__pack';

/** The columns a predicate names (to skip tables that have none of them). */
function referencedColumns(node: SyntaxNode, out: Set<string>): void {
  if (!node || node.IsToken) return;
  if (kindName(node) === 'NameReference') {
    const n = node as Kusto.Language.Syntax.NameReference;
    if (symbolKind(n.ReferencedSymbol) === 'ColumnSymbol') out.add(n.SimpleName ?? '');
  }
  for (let i = 0; i < node.ChildCount; i++) referencedColumns(node.GetChild(i) as SyntaxNode, out);
}

function searchesEverything(node: SyntaxNode): boolean {
  if (!node || node.IsToken) return false;
  const k = kindName(node);
  if (k === 'StarExpression') return true;
  if (k === 'StringLiteralExpression' && (node as Expression).ResultType?.Name === 'bool') return true;
  for (let i = 0; i < node.ChildCount; i++) if (searchesEverything(node.GetChild(i) as SyntaxNode)) return true;
  return false;
}

/** A term match on one value: `*` at the ends means suffix/prefix/substring, inside a wildcard. */
function termMatch(value: ScalarExpr, term: string, caseSensitive: boolean, op?: string): ScalarExpr {
  const cs = caseSensitive ? '_cs' : '';
  const text = value.type === 'string' ? value : convert(value, 'string');
  if (op) return call(op, [text, literal(term, 'string')], 'bool');
  const starts = term.startsWith('*');
  const ends = term.endsWith('*') && term.length > 1;
  const core = term.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (core.includes('*')) {
    const pattern = `${caseSensitive ? '' : '(?i)'}${core.split('*').map(escapeRegex).join('.*')}`;
    return call('matches_regex', [text, literal(pattern, 'string')], 'bool');
  }
  if (starts && ends) return call(`contains${cs}`, [text, literal(core, 'string')], 'bool');
  if (ends) return call(`hasprefix${cs}`, [text, literal(core, 'string')], 'bool');
  if (starts) return call(`hassuffix${cs}`, [text, literal(core, 'string')], 'bool');
  return call(`has${cs}`, [text, literal(core, 'string')], 'bool');
}

/** The term-searchable columns: text and dynamic values. */
function textColumns(columns: readonly ColumnDef[]): ColumnDef[] {
  return columns.filter(c => c.type === 'string' || c.type === 'dynamic' || c.type === 'guid');
}

const TERM_OPERATORS: Record<string, string> = {
  HasExpression: 'has', HasCsExpression: 'has_cs', ContainsExpression: 'contains', ContainsCsExpression: 'contains_cs',
  StartsWithExpression: 'startswith', StartsWithCsExpression: 'startswith_cs', EndsWithExpression: 'endswith', EndsWithCsExpression: 'endswith_cs',
  HasPrefixExpression: 'hasprefix', HasSuffixExpression: 'hassuffix', EqualTildeExpression: 'eq_ci', EqualExpression: 'eq',
};

function lowerPredicate(ctx: LowerContext, node: Expression, scope: RowScope, caseSensitive: boolean): ScalarExpr {
  const k = kindName(node);
  // A term anywhere in the row: one test on the row's text columns joined by a separator that is
  // not a term character (so no term spans two columns).
  const everywhere = (term: string, op?: string) => {
    const cols = textColumns(scope.columns).map(c => (c.type === 'string' ? column(c.name, c.type) : convert(column(c.name, c.type), 'string')));
    if (cols.length === 0) return literal(false, 'bool');
    const text = cols.length === 1 ? cols[0]! : call('strcat_delim', [literal('\u001f', 'string'), ...cols], 'string');
    return termMatch(text, term, caseSensitive, op);
  };
  switch (k) {
    case 'ParenthesizedExpression':
      return lowerPredicate(ctx, (node as Kusto.Language.Syntax.ParenthesizedExpression).Expression!, scope, caseSensitive);
    case 'AndExpression':
    case 'OrExpression': {
      const b = node as Kusto.Language.Syntax.BinaryExpression;
      return call(k === 'AndExpression' ? 'and' : 'or', [lowerPredicate(ctx, b.Left!, scope, caseSensitive), lowerPredicate(ctx, b.Right!, scope, caseSensitive)], 'bool');
    }
    case 'StringLiteralExpression':
      if (node.ResultType?.Name === 'bool') return everywhere(String(node.ConstantValue ?? node.LiteralValue ?? ''));
      break;
    case 'SearchExpression': {
      const b = node as Kusto.Language.Syntax.BinaryExpression;
      const term = String(b.Right!.ConstantValue ?? b.Right!.LiteralValue ?? '');
      if (kindName(b.Left!) === 'StarExpression') return everywhere(term);
      return termMatch(lowerScalar(ctx, b.Left!, scope), term, caseSensitive);
    }
    default:
      if (k in TERM_OPERATORS) {
        const b = node as Kusto.Language.Syntax.BinaryExpression;
        if (kindName(b.Left!) === 'StarExpression') {
          return everywhere(String(b.Right!.ConstantValue ?? b.Right!.LiteralValue ?? ''), TERM_OPERATORS[k]);
        }
      }
      break;
  }
  return asBool(ctx, lowerScalar(ctx, node, scope));
}

function allTables(): UnionInput[] {
  return [...DEFENDER_TABLES.values()].map(t => ({ name: t.name, rel: scan(t.name, t.columns) }));
}

/**
 * Filters each input with the predicate (lowered over that input's columns, plus null for the
 * columns it lacks), keeps the target columns it has, and unions the inputs by column name.
 */
function searchInputs(
  ctx: LowerContext, inputs: UnionInput[], target: readonly ColumnDef[], predicate: Expression, caseSensitive: boolean,
  packOf?: (input: UnionInput) => ColumnDef[],
): RelNode {
  const referenced = new Set<string>();
  referencedColumns(predicate, referenced);
  const all: ColumnDef[] = [{ name: SOURCE, type: 'string' }, ...target, ...(packOf ? [{ name: PACK, type: 'dynamic' as KustoType }] : [])];
  const parts = inputs.map(input => {
    let rel = input.rel;
    // The predicate sees the output's column types: a column this input lacks, or has with
    // another type (Kusto keeps those apart as name_type), is null here.
    const types = new Map(target.map(c => [c.name, c.type]));
    const foreign = (n: string) => {
      const own = rel.columns.find(c => c.name === n);
      const want = types.get(n);
      return !own || (want !== undefined && own.type !== want);
    };
    const missing = [...referenced].filter(foreign);
    if (missing.length) {
      rel = project(rel, [
        ...rel.columns.filter(c => !missing.includes(c.name)).map(c => ({ name: c.name, expr: column(c.name, c.type) as ScalarExpr })),
        ...missing.map(n => ({ name: n, expr: nullOf(types.get(n) ?? 'string') as ScalarExpr })),
      ]);
    }
    const matched = filter(rel, lowerPredicate(ctx, predicate, { columns: rel.columns }, caseSensitive));
    const exprs: NamedExpr[] = [{ name: SOURCE, expr: literal(input.name, 'string') }];
    for (const c of target) {
      const src = sourceFor(c, input.rel);
      if (src) exprs.push({ name: c.name, expr: column(src.name, src.type) });
    }
    if (packOf) {
      const args: ScalarExpr[] = [];
      for (const c of packOf(input)) args.push(literal(c.name, 'string'), column(c.name, c.type));
      exprs.push({ name: PACK, expr: call('pack_nonempty', args, 'dynamic') });
    }
    return project(matched, exprs);
  });
  return union(parts, all, true);
}

function keepTables(inputs: UnionInput[], predicate: Expression): UnionInput[] {
  if (searchesEverything(predicate)) return inputs;
  const names = new Set<string>();
  referencedColumns(predicate, names);
  if (names.size === 0) return inputs;
  const kept = inputs.filter(i => i.rel.columns.some(c => names.has(c.name)));
  return kept.length ? kept : inputs.slice(0, 1);
}

export function lowerSearch(ctx: LowerContext, input: RelNode | undefined, node: Kusto.Language.Syntax.SearchOperator): RelNode {
  const out = tableColumns(ctx, node);
  const params = namedParameters(node.Parameters);
  const caseSensitive = (parameterText(params.get('kind')) ?? '').toLowerCase() === 'case_sensitive';
  let inputs: UnionInput[];
  if (input) inputs = [{ name: '', rel: input }];
  else if (node.InClause) inputs = inputsOf(ctx, elements<Expression>(node.InClause.Expressions));
  else inputs = allTables();
  const predicate = node.Condition!;
  inputs = keepTables(inputs, predicate);
  const matched = searchInputs(ctx, inputs, out.filter(c => c.name !== '$table'), predicate, caseSensitive);
  return project(matched, out.map(c => ({ name: c.name, expr: column(c.name === '$table' ? SOURCE : c.name, c.type) })));
}

export function lowerFind(ctx: LowerContext, node: Kusto.Language.Syntax.FindOperator): RelNode {
  const out = tableColumns(ctx, node);
  const params = namedParameters(node.Parameters);
  const sourceName = parameterText(params.get('withsource')) ?? 'source_';
  let inputs = node.InClause ? inputsOf(ctx, elements<Expression>(node.InClause.Expressions)) : allTables();
  const predicate = node.Condition!;
  inputs = keepTables(inputs, predicate);
  const kept = new Set(out.map(c => c.name));
  const packColumn = out.find(c => c.name === 'pack_' && c.type === 'dynamic');
  const projectAll = !!node.Project && elements<Expression>(node.Project.Columns).some(e => /^pack_all\s*\(/i.test(String(e.toString()).trim()));
  const packOf = packColumn
    ? (i: UnionInput) => (projectAll ? i.rel.columns.slice() : i.rel.columns.filter(c => !kept.has(c.name)))
    : undefined;
  const target = out.filter(c => c.name !== sourceName && c !== packColumn);
  const matched = searchInputs(ctx, inputs, target, predicate, false, packOf);
  return project(matched, out.map(c => {
    if (c.name === sourceName) return { name: c.name, expr: column(SOURCE, 'string') };
    if (packColumn && c === packColumn) return { name: c.name, expr: column(PACK, 'dynamic') };
    return { name: c.name, expr: column(c.name, c.type) };
  }));
}
