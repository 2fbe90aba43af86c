// Entry point of lowering: a bound query → the IR plan of its result table.
import { elements, kindName, namedParameters, type Expression, type SyntaxNode, nodeText } from '../kql/syntax.js';
import type { BoundQuery } from '../kql/bind.js';
import type { RelNode } from '../ir/relational.js';
import { LowerContext } from './context.js';
import { processStatements } from './statements.js';
import { lowerTabular } from './tabular.js';
import { isTabular } from './statements.js';

/** How the query asked for its result to be drawn (`| render timechart`), for consoles. */
export interface RenderHint {
  readonly chartType: string;
  readonly properties: Readonly<Record<string, string>>;
}

export interface LoweredQuery {
  readonly plan: RelNode;
  readonly render?: RenderHint;
}

export function lowerQuery(code: BoundQuery, text: string, now: bigint): LoweredQuery {
  const ctx = new LowerContext(text, now);
  const block = code.Syntax as Kusto.Language.Syntax.QueryBlock;
  const results = processStatements(ctx, elements<SyntaxNode>(block.Statements));
  const tabular = results.filter(isTabular);
  if (results.length === 0) throw ctx.error(block, 'the query has no result: it ends with a let statement', 'CH104');
  const main = tabular[0];
  if (!main) throw ctx.error(results[0], 'the query must produce a table', 'CH104');
  return { plan: lowerTabular(ctx, main), render: renderHint(main) };
}

function renderHint(expr: Expression): RenderHint | undefined {
  let node: Expression | null | undefined = expr;
  while (node && kindName(node) === 'PipeExpression') {
    const pipe = node as Kusto.Language.Syntax.PipeExpression;
    const op = pipe.Operator!;
    if (kindName(op) === 'RenderOperator') {
      const r = op as Kusto.Language.Syntax.RenderOperator;
      const properties: Record<string, string> = {};
      for (const [k, v] of namedParameters(r.Parameters)) properties[k] = nodeText(v);
      return { chartType: r.ChartType?.Text ?? 'table', properties };
    }
    node = pipe.Expression;
  }
  return undefined;
}
