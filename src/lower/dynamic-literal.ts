// dynamic(...) literals → JSON text. Kusto's dynamic literal syntax allows single quotes, typed
// scalars (datetime(...), 1h, guid(...)) and trailing commas; we walk the bound syntax tree.
import { kindName, elements, type Expression, nodeText } from '../kql/syntax.js';
import type { LowerContext } from './context.js';
import { literalValue } from './literals.js';
import { formatDatetime, formatTimespan } from '../util/kusto-format.js';
import { scalarType } from './context.js';

export function jsonText(ctx: LowerContext, node: Expression): string {
  const kind = kindName(node);
  switch (kind) {
    case 'JsonObjectExpression': {
      const obj = node as Kusto.Language.Syntax.JsonObjectExpression;
      const parts = elements<Kusto.Language.Syntax.JsonPair>(obj.Pairs).map(pair => {
        const key = String(pair.Name?.Value ?? pair.Name?.ValueText ?? pair.Name?.Text ?? '');
        return `${JSON.stringify(key)}:${jsonText(ctx, pair.Value!)}`;
      });
      return `{${parts.join(',')}}`;
    }
    case 'JsonArrayExpression': {
      const arr = node as Kusto.Language.Syntax.JsonArrayExpression;
      return `[${elements<Expression>(arr.Values).map(v => jsonText(ctx, v)).join(',')}]`;
    }
    case 'ParenthesizedExpression':
      return jsonText(ctx, (node as Kusto.Language.Syntax.ParenthesizedExpression).Expression!);
    case 'DynamicExpression':
      // A nested dynamic(...) literal is the value it holds, not its source text.
      return jsonText(ctx, (node as Kusto.Language.Syntax.DynamicExpression).Expression!);
    case 'UnaryMinusExpression': {
      const inner = jsonText(ctx, (node as Kusto.Language.Syntax.PrefixUnaryExpression).Expression!);
      return inner.startsWith('-') ? inner.slice(1) : `-${inner}`;
    }
    case 'NullLiteralExpression':
      return 'null';
    default: {
      if (!node.IsLiteral) throw ctx.error(node, `a dynamic literal can hold only constants, not ${nodeText(node)}`);
      const type = scalarType(ctx, node);
      if (type === 'string') return JSON.stringify(String(node.LiteralValue ?? ''));
      const token = (node as Kusto.Language.Syntax.LiteralExpression).Token?.Text ?? nodeText(node);
      const value = literalValue(type, token);
      if (value === null) return 'null';
      switch (type) {
        case 'datetime':
          return JSON.stringify(formatDatetime(value as bigint));
        case 'timespan':
          return JSON.stringify(formatTimespan(value as bigint));
        case 'bool':
          return value ? 'true' : 'false';
        case 'real': {
          const n = value as number;
          if (!Number.isFinite(n)) return JSON.stringify(String(n));
          // 111.0 stays a real in the JSON (not the long 111): gettype and the series functions tell them apart.
          const text = String(n);
          return /^-?\d+$/.test(text) ? `${text}.0` : text;
        }
        case 'guid':
          return JSON.stringify(String(value));
        default:
          return String(value);
      }
    }
  }
}
