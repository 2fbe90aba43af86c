// Entry point of lowering: a bound query → the IR plan of its result table.
import { elements, kindName, namedParameters, type Expression, type SyntaxNode, nodeText } from '../kql/syntax.js';
import type { BoundQuery } from '../kql/bind.js';
import type { RelNode } from '../ir/relational.js';
import { LowerContext } from './context.js';
import { KqlError, positionAt, type KqlDiagnostic } from '../kql/diagnostics.js';
import { processStatements } from './statements.js';
import { lowerTabular } from './tabular.js';
import { isTabular } from './statements.js';

/** How the query asked for its result to be drawn (`| render timechart`), for consoles. */
export interface RenderHint {
  readonly chartType: string;
  readonly properties: Readonly<Record<string, string>>;
}

/**
 * A plan that needs a look at the data before it can be compiled (bag_unpack without an output
 * schema: its columns are the bags' keys). The caller runs `plan`, puts its rows in the answers
 * under `key`, and lowers the query again (see Engine.query).
 */
export class ProbeNeeded extends KqlError {
  constructor(readonly key: string, readonly plan: RelNode, diagnostic: KqlDiagnostic) {
    // Still a KqlError by name: where no probe loop runs, it reaches the user as a compile error.
    super([diagnostic]);
  }
}

/** Rows of the probes already run, by key. */
export type ProbeAnswers = ReadonlyMap<string, readonly (readonly unknown[])[]>;

let activeProbes: ProbeAnswers | undefined;

/** The answer of a probe, or a ProbeNeeded error that asks for it (and says what it is for, at `node`). */
export function probeAnswer(ctx: LowerContext, node: SyntaxNode, key: string, plan: () => RelNode, what: string): readonly (readonly unknown[])[] {
  const answer = activeProbes?.get(key);
  if (answer) return answer;
  const span = ctx.spanOf(node);
  const { line, column } = positionAt(ctx.text, span.start);
  const message = `${what} needs to read the data before the query can be compiled; name its columns to compile it without data`;
  throw new ProbeNeeded(key, plan(), { code: 'CH105', message, start: span.start, length: span.length, line, column });
}

/**
 * Lowers a query, running the probes it asks for (`runProbe` compiles and runs a plan and returns
 * its rows) and lowering again with their answers.
 */
export async function lowerQueryWithProbes(
  code: BoundQuery, text: string, now: bigint,
  runProbe: (plan: RelNode) => Promise<readonly (readonly unknown[])[]>,
): Promise<LoweredQuery> {
  const answers = new Map<string, readonly (readonly unknown[])[]>();
  for (;;) {
    try {
      return lowerQuery(code, text, now, answers);
    } catch (e) {
      if (!(e instanceof ProbeNeeded) || answers.has(e.key) || answers.size >= 64) throw e;
      answers.set(e.key, await runProbe(e.plan));
    }
  }
}

export interface LoweredQuery {
  readonly plan: RelNode;
  readonly render?: RenderHint;
}

export function lowerQuery(code: BoundQuery, text: string, now: bigint, probes?: ProbeAnswers): LoweredQuery {
  const saved = activeProbes;
  activeProbes = probes;
  try {
    return lowerQueryBlock(code, text, now);
  } finally {
    activeProbes = saved;
  }
}

function lowerQueryBlock(code: BoundQuery, text: string, now: bigint): LoweredQuery {
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
      const value = (v: Expression) => {
        const literal = (v as { LiteralValue?: unknown }).LiteralValue;
        return literal !== null && literal !== undefined && typeof literal !== 'object' ? String(literal) : nodeText(v);
      };
      // Both spellings: `render timechart title="x"` (legacy) and `render timechart with (title="x", ...)`.
      for (const [k, v] of namedParameters(r.Parameters)) properties[k] = value(v);
      const withProps = r.WithClause?.Properties;
      if (withProps) {
        for (const p of elements<Kusto.Language.Syntax.NamedParameter>(withProps)) {
          const name = p.Name?.SimpleName;
          if (name && p.Expression) properties[name.toLowerCase()] = value(p.Expression);
        }
      }
      return { chartType: r.ChartType?.Text ?? 'table', properties };
    }
    node = pipe.Expression;
  }
  return undefined;
}
