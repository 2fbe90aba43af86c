// State shared while lowering one query: the query instant, let bindings, the parameters of the
// user function being expanded, and error reporting that points into the query text.
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import { kustoType } from '../schema/kusto-types.js';
import { KqlError } from '../kql/diagnostics.js';
import { kindName, type Expression, type SyntaxNode } from '../kql/syntax.js';
import { toArray } from '../kql/kusto-language.js';
import type { ScalarExpr, SourceSpan } from '../ir/scalar.js';
import type { RelNode } from '../ir/relational.js';

export type Bound = { readonly kind: 'scalar'; readonly expr: ScalarExpr } | { readonly kind: 'tabular'; readonly rel: RelNode };

/** A let statement, lowered the first time it is used (unused lets never need to compile). */
export interface LetBinding {
  readonly name: string;
  readonly node: Expression;
  readonly frame: Frame;
  value?: Bound;
  lowering?: boolean;
}

/** One scope of names: a query body or the body of an expanded user function. */
export interface Frame {
  readonly parent?: Frame;
  readonly lets: Map<unknown, LetBinding>;
  readonly letsByName: Map<string, LetBinding>;
  readonly params: Map<string, Bound>;
  /** Where errors inside this frame point: the call site when the body text is not the query's. */
  readonly callSite?: SourceSpan;
}

export class LowerContext {
  frame: Frame = { lets: new Map(), letsByName: new Map(), params: new Map() };
  /** Syntax nodes already lowered elsewhere (aggregates inside an expression), by node. */
  replacements?: Map<unknown, ScalarExpr>;
  /** The values of the query's set statements (query_bin_auto_size...), by lower-case name. */
  readonly options = new Map<string, Expression>();

  constructor(
    readonly text: string,
    /** The query instant, in ticks since the Unix epoch: now() and ago() all see this one value. */
    readonly now: bigint,
  ) {}

  spanOf(node: SyntaxNode | undefined | null): SourceSpan {
    for (let f: Frame | undefined = this.frame; f; f = f.parent) if (f.callSite) return f.callSite;
    if (!node) return { start: 0, length: 0 };
    return { start: node.TextStart, length: Math.max(node.Width, 1) };
  }

  error(node: SyntaxNode | undefined | null, message: string, code = 'CH100'): KqlError {
    const span = this.spanOf(node);
    return KqlError.at(this.text, span.start, span.length, code, message);
  }

  unsupported(node: SyntaxNode, what: string): KqlError {
    return this.error(node, `${what} is not supported by chainhunt yet`, 'CH101');
  }

  withFrame<T>(frame: Omit<Frame, 'parent'>, body: () => T): T {
    const saved = this.frame;
    this.frame = { ...frame, parent: saved };
    try {
      return body();
    } finally {
      this.frame = saved;
    }
  }

  findLet(symbol: unknown, name: string): LetBinding | undefined {
    for (let f: Frame | undefined = this.frame; f; f = f.parent) {
      const bySymbol = symbol ? f.lets.get(symbol) : undefined;
      if (bySymbol) return bySymbol;
    }
    for (let f: Frame | undefined = this.frame; f; f = f.parent) {
      const p = f.params.get(name);
      if (p) return { name, node: undefined as unknown as Expression, frame: f, value: p };
      const byName = f.letsByName.get(name);
      if (byName) return byName;
    }
    return undefined;
  }
}

/** The Kusto type of a bound scalar expression. */
export function scalarType(ctx: LowerContext, node: Expression): KustoType {
  const t = node.ResultType;
  const name = t?.Name ?? '';
  const k = kustoType(name);
  if (k) return k;
  if (name === 'null' || name === 'unknown' || name === '') return 'dynamic';
  throw ctx.error(node, `expression of type ${name} (${kindName(node)}) cannot be used as a scalar here`);
}

/** The columns of a bound tabular expression, as the binder computed them. */
export function tableColumns(ctx: LowerContext, node: SyntaxNode & { ResultType?: Kusto.Language.Symbols.TypeSymbol | null }): ColumnDef[] {
  const t = node.ResultType as Kusto.Language.Symbols.TableSymbol | null | undefined;
  if (!t || !('Columns' in t) || !t.Columns) throw ctx.error(node, 'expected a tabular expression');
  return toArray(t.Columns).map(c => {
    const type = kustoType(c.Type?.Name ?? '') ?? 'dynamic';
    return { name: c.Name ?? '', type };
  });
}
