// union: each input is aligned to the binder's output columns. Columns that share a name but not a
// type are kept apart by Kusto as name_type (x_long, x_int); missing columns are null (or "").
import { DEFENDER_TABLES } from '../schema/defender.js';
import type { ColumnDef } from '../schema/kusto-types.js';
import { column, literal, nullOf } from '../ir/scalar.js';
import { project, scan, union, type RelNode } from '../ir/relational.js';
import { elements, kindName, namedParameters, parameterText, type Expression, nodeText } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { lowerTabular } from './tabular.js';

export interface UnionInput {
  readonly name: string;
  readonly rel: RelNode;
}

function wildcardTables(pattern: string): UnionInput[] {
  const re = new RegExp('^' + pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i');
  return [...DEFENDER_TABLES.values()].filter(t => re.test(t.name)).map(t => ({ name: t.name, rel: scan(t.name, t.columns) }));
}

export function inputsOf(ctx: LowerContext, exprs: Expression[]): UnionInput[] {
  const out: UnionInput[] = [];
  exprs.forEach((e, i) => {
    const text = nodeText(e);
    if (kindName(e) === 'NameReference' || /^[A-Za-z_][\w*]*$/.test(text)) {
      if (text.includes('*')) {
        out.push(...wildcardTables(text));
        return;
      }
      out.push({ name: text, rel: lowerTabular(ctx, e) });
      return;
    }
    out.push({ name: `union_arg${i}`, rel: lowerTabular(ctx, e) });
  });
  return out;
}

export function sourceFor(out: ColumnDef, rel: RelNode): ColumnDef | undefined {
  const exact = rel.columns.find(c => c.name === out.name && c.type === out.type);
  if (exact) return exact;
  return rel.columns.find(c => out.name === `${c.name}_${c.type}` || (out.name.startsWith(`${c.name}_${c.type}`) && /^\d+$/.test(out.name.slice(c.name.length + c.type.length + 1))));
}

/**
 * Each input's source column for every output column. The binder's output lists the distinct
 * (name, type) pairs of the inputs in order of first appearance, renaming clashes (x_long, x_int,
 * x_long1), so pairing them by position is exact even when a renamed column's new name is also
 * the name of another input's column. Falls back to matching by name if the counts differ.
 */
function alignInputs(out: readonly ColumnDef[], rels: readonly RelNode[], withSource: string | undefined): ((c: ColumnDef) => ColumnDef | undefined)[] {
  const data = out.filter(c => c.name !== withSource);
  const keys: string[] = [];
  for (const rel of rels) for (const c of rel.columns) if (!keys.includes(`${c.name}\u0000${c.type}`)) keys.push(`${c.name}\u0000${c.type}`);
  if (keys.length !== data.length || keys.some((k, i) => !k.endsWith(`\u0000${data[i]!.type}`))) return rels.map(rel => (c: ColumnDef) => sourceFor(c, rel));
  const outOf = new Map(keys.map((k, i) => [k, data[i]!.name]));
  return rels.map(rel => {
    const byOut = new Map(rel.columns.map(c => [outOf.get(`${c.name}\u0000${c.type}`)!, c]));
    return (c: ColumnDef) => byOut.get(c.name);
  });
}

export function lowerUnion(ctx: LowerContext, input: RelNode | undefined, node: Kusto.Language.Syntax.UnionOperator): RelNode {
  const params = namedParameters(node.Parameters);
  const withSource = parameterText(params.get('withsource'));
  const inputs: UnionInput[] = [];
  if (input) inputs.push({ name: 'union_arg0', rel: input });
  inputs.push(...inputsOf(ctx, elements<Expression>(node.Expressions)));
  let out = tableColumns(ctx, node);
  const sources = alignInputs(out, inputs.map(i => i.rel), withSource);
  // kind=inner keeps only the columns every input has (Kusto.Language gives the outer schema).
  if ((parameterText(params.get('kind')) ?? '').toLowerCase() === 'inner') {
    out = out.filter(c => (withSource && c.name === withSource) || sources.every(source => source(c)));
  }
  const aligned = inputs.map(({ name, rel }, i) => project(rel, out.map(c => {
    if (withSource && c.name === withSource) return { name: c.name, expr: literal(name, 'string') };
    const src = sources[i]!(c);
    return { name: c.name, expr: src ? column(src.name, src.type) : nullOf(c.type) };
  })));
  return aligned.length === 1 ? aligned[0]! : union(aligned, out);
}
