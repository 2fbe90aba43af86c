// Lowering of tabular expressions: sources (tables, lets, datatable, print, range, union,
// function calls) and pipes, which hand each operator to its lowering function.
import { defenderTable } from '../schema/defender.js';
import type { ColumnDef } from '../schema/kusto-types.js';
import { literal, nullOf, type Literal } from '../ir/scalar.js';
import { project, range, scan, shared, values, type RelNode } from '../ir/relational.js';
import { elements, items, kindName, type Expression } from '../kql/syntax.js';
import { toArray } from '../kql/kusto-language.js';
import { tableColumns, type LowerContext } from './context.js';
import { EMPTY_SCOPE, lowerScalar } from './scalar.js';
import { evaluateLet, symbolKind } from './names.js';
import { expandUserFunction, isUserFunction } from './user-functions.js';
import { isTabular, lowerFunctionBody, patternDeclaration } from './statements.js';
import { lowerOperator, lowerProject } from './operators.js';
import { lowerUnion } from './union.js';
import { convert } from './convert.js';

/** The rows a subquery's first operator reads (mv-apply, partition, facet...), taken once. */
const implicitInputs: (RelNode | undefined)[] = [];

/** Lowers a subquery whose leftmost operator has no input of its own: it reads `input`. */
export function lowerSubquery(ctx: LowerContext, node: Expression, input: RelNode): RelNode {
  implicitInputs.push(input);
  const depth = implicitInputs.length;
  try {
    return lowerTabular(ctx, node);
  } finally {
    implicitInputs.length = depth - 1;
  }
}

function takeImplicitInput(): RelNode | undefined {
  if (implicitInputs.length === 0) return undefined;
  const top = implicitInputs[implicitInputs.length - 1];
  implicitInputs[implicitInputs.length - 1] = undefined;
  return top;
}

export function lowerTabular(ctx: LowerContext, node: Expression): RelNode {
  const kind = kindName(node);
  switch (kind) {
    case 'PipeExpression': {
      const pipe = node as Kusto.Language.Syntax.PipeExpression;
      const input = lowerTabular(ctx, pipe.Expression!);
      return lowerOperator(ctx, input, pipe.Operator!);
    }
    case 'ParenthesizedExpression':
      return lowerTabular(ctx, (node as Kusto.Language.Syntax.ParenthesizedExpression).Expression!);
    case 'NameReference':
      return lowerTableName(ctx, node as Kusto.Language.Syntax.NameReference);
    case 'MaterializeExpression': {
      const inner = lowerTabular(ctx, (node as Kusto.Language.Syntax.MaterializeExpression).Expression!);
      return shared(inner.kind === 'shared' ? inner.input : inner, true);
    }
    case 'DataTableExpression':
      return lowerDatatable(ctx, node as Kusto.Language.Syntax.DataTableExpression);
    case 'PrintOperator': {
      // One row of the print expressions (tuple-valued ones spread over their columns).
      const print = node as Kusto.Language.Syntax.PrintOperator;
      return lowerProject(ctx, values([], [[]]), print, elements<Expression>(print.Expressions));
    }
    case 'RangeOperator': {
      const r = node as Kusto.Language.Syntax.RangeOperator;
      const col = tableColumns(ctx, node)[0]!;
      const from = convert(lowerScalar(ctx, r.From!, EMPTY_SCOPE), col.type);
      const to = convert(lowerScalar(ctx, r.To!, EMPTY_SCOPE), col.type);
      const step = lowerScalar(ctx, r.Step!, EMPTY_SCOPE);
      return range(col.name, col.type, from, to, step);
    }
    case 'UnionOperator':
      return lowerUnion(ctx, undefined, node as Kusto.Language.Syntax.UnionOperator);
    case 'FunctionCallExpression': {
      const fc = node as Kusto.Language.Syntax.FunctionCallExpression;
      if (!isTabular(node)) return scalarRow(ctx, node);
      if (symbolKind(fc.ReferencedSymbol) === 'PatternSymbol') return lowerPatternCall(ctx, fc);
      const name = (fc.Name?.SimpleName ?? '').toLowerCase();
      if (isUserFunction(fc)) {
        const result = expandUserFunction(ctx, fc, EMPTY_SCOPE);
        if (result.kind === 'tabular') return result.rel;
        throw ctx.error(node, `function ${fc.Name?.SimpleName} returns a scalar, not a table`);
      }
      if (name === 'table' || name === 'view') {
        const arg = elements<Expression>(fc.ArgumentList?.Expressions)[0];
        const tableName = String(arg?.ConstantValue ?? arg?.LiteralValue ?? '');
        return lowerNamedTable(ctx, node, tableName);
      }
      throw ctx.unsupported(node, `the tabular function ${fc.Name?.SimpleName}()`);
    }
    case 'ToTableExpression':
      return lowerTabular(ctx, (node as Kusto.Language.Syntax.ToTableExpression).Expression!);
    case 'ExternalDataExpression':
      throw ctx.error(node, 'externaldata is not supported: chainhunt does not fetch data from the network at query time; ingest the file instead (chainhunt ingest)', 'CH101');
    default:
      // Operators that start a query without input (e.g. `search`, `find`, `evaluate`).
      if (kind.endsWith('Operator')) return lowerOperator(ctx, takeImplicitInput(), node as Kusto.Language.Syntax.QueryOperator);
      if (!isTabular(node)) return scalarRow(ctx, node);
      throw ctx.unsupported(node, `the tabular expression ${kind}`);
  }
}

/** A call of a declared pattern: the body of the pattern match whose values equal the arguments. */
function lowerPatternCall(ctx: LowerContext, fc: Kusto.Language.Syntax.FunctionCallExpression): RelNode {
  const name = fc.Name?.SimpleName ?? '';
  const decl = patternDeclaration(ctx, name);
  if (!decl) throw ctx.error(fc, `unknown pattern ${name}`);
  const args = elements<Expression>(fc.ArgumentList?.Expressions).map(a => lowerScalar(ctx, a, EMPTY_SCOPE));
  if (args.some(a => a.kind !== 'literal')) throw ctx.error(fc, 'a pattern is invoked with constant arguments');
  const key = (values: Literal[]) => values.map(v => `${v.type}:${String(v.value)}`).join('\u0001');
  const wanted = key(args as Literal[]);
  const params = elements<Kusto.Language.Syntax.NameAndTypeDeclaration>(decl.Parameters);
  for (const m of items<Kusto.Language.Syntax.PatternMatch>(decl.Patterns as never)) {
    const constants = elements<Expression>(m.ParameterValues?.Expressions).map(v => lowerScalar(ctx, v, EMPTY_SCOPE));
    if (constants.some(v => v.kind !== 'literal') || key(constants as Literal[]) !== wanted) continue;
    const bound = new Map(params.map((p, i) => [p.Name!.SimpleName!, { kind: 'scalar' as const, expr: args[i]! }]));
    const result = ctx.withFrame({ lets: new Map(), letsByName: new Map(), params: bound }, () => lowerFunctionBody(ctx, m.Body!));
    if (result.kind === 'tabular') return result.rel;
    return project(values([], [[]]), [{ name: 'print_0', expr: result.expr }]);
  }
  throw ctx.error(fc, `the pattern ${name} has no match for these arguments`);
}

/** A scalar where a table is expected (toscalar(2)): one row, one column. */
function scalarRow(ctx: LowerContext, node: Expression): RelNode {
  const value = lowerScalar(ctx, node, EMPTY_SCOPE);
  return project(values([], [[]]), [{ name: 'print_0', expr: value }]);
}

function lowerTableName(ctx: LowerContext, node: Kusto.Language.Syntax.NameReference): RelNode {
  const symbol = node.ReferencedSymbol;
  const name = node.SimpleName ?? symbol?.Name ?? '';
  const kind = symbolKind(symbol);
  if (kind === 'TableSymbol') {
    const binding = ctx.findLet(symbol, name);
    if (!binding) return lowerNamedTable(ctx, node, name);
  }
  if (kind === 'FunctionSymbol') {
    // A parameterless function or view used by name: lower its declared body.
    const signature = toArray((symbol as Kusto.Language.Symbols.FunctionSymbol).Signatures)[0];
    const body = signature?.Declaration;
    if (body) {
      const result = ctx.withFrame({ lets: new Map(), letsByName: new Map(), params: new Map() }, () => lowerFunctionBody(ctx, body));
      if (result.kind === 'tabular') return result.rel;
    }
    throw ctx.error(node, `function ${name} cannot be used as a table here`);
  }
  const binding = ctx.findLet(symbol, name);
  if (binding) {
    const value = evaluateLet(ctx, binding);
    if (value.kind === 'tabular') return value.rel;
    throw ctx.error(node, `'${name}' is a scalar value, not a table`);
  }
  return lowerNamedTable(ctx, node, name);
}

function lowerNamedTable(ctx: LowerContext, node: Kusto.Language.Syntax.SyntaxNode, name: string): RelNode {
  const table = defenderTable(name);
  if (!table) throw ctx.error(node, `unknown table '${name}'`, 'KS204');
  return scan(table.name, table.columns);
}

function lowerDatatable(ctx: LowerContext, node: Kusto.Language.Syntax.DataTableExpression): RelNode {
  const columns: ColumnDef[] = tableColumns(ctx, node);
  const cells = elements<Expression>(node.Values);
  if (columns.length === 0) throw ctx.error(node, 'datatable needs at least one column');
  if (cells.length % columns.length !== 0) {
    throw ctx.error(node, `datatable has ${cells.length} values, not a multiple of its ${columns.length} columns`);
  }
  const rows: Literal[][] = [];
  for (let i = 0; i < cells.length; i += columns.length) {
    rows.push(columns.map((c, j) => {
      const cell = cells[i + j]!;
      const value = lowerScalar(ctx, cell, EMPTY_SCOPE);
      if (value.kind !== 'literal') throw ctx.error(cell, 'datatable values must be constants');
      if (value.value === null) return nullOf(c.type);
      if (value.type !== c.type) return coerceLiteral(ctx, cell, value, c.type);
      return value;
    }));
  }
  return values(columns, rows);
}

function coerceLiteral(ctx: LowerContext, node: Kusto.Language.Syntax.SyntaxNode, value: Literal, type: ColumnDef['type']): Literal {
  const v = value.value;
  switch (type) {
    case 'real':
      if (typeof v === 'bigint') return literal(Number(v), 'real');
      break;
    case 'long':
    case 'int':
      if (typeof v === 'bigint') return literal(v, type);
      if (typeof v === 'number' && Number.isInteger(v)) return literal(BigInt(v), type);
      break;
    case 'decimal':
      if (typeof v === 'bigint' || typeof v === 'number') return literal(String(v), 'decimal');
      break;
    case 'dynamic':
      return literal(dynamicJson(value), 'dynamic');
    case 'string':
      return literal(String(v), 'string');
    default:
      break;
  }
  throw ctx.error(node, `datatable value ${String(v)} (${value.type}) does not fit a column of type ${type}`);
}

function dynamicJson(value: Literal): string {
  const v = value.value;
  if (v === null) return 'null';
  if (typeof v === 'string') return value.type === 'dynamic' ? v : JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v);
}
