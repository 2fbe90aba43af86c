// parse-kv: extracts the values of the listed keys from key/value text. With delimiters, each key
// becomes one regular expression built here (optionally quoted values, escapes, greedy values);
// with `regex=`, the regex's first group is the key and its second the value.
import { call, column, literal, nullOf, type ScalarExpr } from '../ir/scalar.js';
import { project, type NamedExpr, type RelNode } from '../ir/relational.js';
import { elements, type Expression } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { lowerScalar, EMPTY_SCOPE } from './scalar.js';
import { convert } from './convert.js';
import { escapeRegex } from './parse.js';

/** Escapes characters for use inside a regex character class. */
function classEscape(text: string): string {
  return text.replace(/[\]\\^\-[]/g, '\\$&');
}

interface KvOptions {
  pairDelimiter: string;
  kvDelimiter: string;
  quote: string;
  escape: string;
  greedy: boolean;
  regex?: string;
}

function options(ctx: LowerContext, node: Kusto.Language.Syntax.ParseKvOperator): KvOptions {
  const o: KvOptions = { pairDelimiter: ' ', kvDelimiter: '=', quote: '', escape: '', greedy: false };
  for (const p of elements<Kusto.Language.Syntax.NamedParameter>(node.WithClause?.Properties)) {
    const name = (p.Name?.SimpleName ?? '').toLowerCase();
    const v = lowerScalar(ctx, p.Expression! as Expression, EMPTY_SCOPE);
    if (v.kind !== 'literal') throw ctx.error(p, `parse-kv ${name} must be a constant`);
    const text = v.value === null ? '' : String(v.value);
    switch (name) {
      case 'pair_delimiter': o.pairDelimiter = text; break;
      case 'kv_delimiter': o.kvDelimiter = text; break;
      case 'quote': o.quote = text; break;
      case 'escape': o.escape = text; break;
      case 'greedy': o.greedy = v.value === true || text.toLowerCase() === 'true'; break;
      case 'regex': o.regex = text; break;
      default: throw ctx.unsupported(p, `parse-kv option ${name}`);
    }
  }
  return o;
}

export function lowerParseKv(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.ParseKvOperator): RelNode {
  const out = tableColumns(ctx, node);
  const keys = out.slice(input.columns.length);
  const source = convert(lowerScalar(ctx, node.Expression!, { columns: input.columns }), 'string');
  const o = options(ctx, node);
  const exprs: NamedExpr[] = input.columns.map(c => ({ name: c.name, expr: column(c.name, c.type) }));
  for (const key of keys) {
    let value: ScalarExpr;
    if (o.regex !== undefined) {
      value = call('kv_regex_value', [source, literal(o.regex, 'string'), literal(key.name, 'string')], 'string');
    } else {
      const pd = o.pairDelimiter;
      const kvd = escapeRegex(o.kvDelimiter);
      const start = `(?:^|${escapeRegex(pd)})\\s*`;
      const open = o.quote ? o.quote[0]! : '';
      const close = o.quote ? o.quote[o.quote.length - 1]! : '';
      const k = escapeRegex(key.name);
      const keyPattern = open ? `(?:${escapeRegex(open)}${k}${escapeRegex(close)}|${k})` : k;
      const head = `${start}${keyPattern}\\s*${kvd}\\s*`;
      const plain = o.greedy
        ? `${head}(.*?)\\s*(?:${escapeRegex(pd)}\\s*[^${classEscape(pd + o.kvDelimiter)}]+?\\s*${kvd}|$)`
        : `${head}([^${classEscape(pd)}]*?)\\s*(?:${escapeRegex(pd)}|$)`;
      const plainValue = call('extract', [literal(plain, 'string'), literal(1n, 'long'), source], 'string');
      const found = call('matches_regex', [source, literal(plain, 'string')], 'bool');
      if (open) {
        const esc = o.escape ? escapeRegex(o.escape) : '';
        const body = esc ? `((?:[^${classEscape(close + o.escape)}]|${esc}.)*)` : `([^${classEscape(close)}]*)`;
        const quoted = `${head}${escapeRegex(open)}${body}${escapeRegex(close)}`;
        let quotedValue: ScalarExpr = call('extract', [literal(quoted, 'string'), literal(1n, 'long'), source], 'string');
        if (esc) quotedValue = call('replace_regex', [quotedValue, literal(`${esc}(.)`, 'string'), literal('\\1', 'string')], 'string');
        value = {
          kind: 'case',
          branches: [
            { when: call('matches_regex', [source, literal(quoted, 'string')], 'bool'), then: quotedValue },
            { when: found, then: plainValue },
          ],
          otherwise: nullOf('string'),
          type: 'string',
        };
      } else {
        value = { kind: 'case', branches: [{ when: found, then: plainValue }], otherwise: nullOf('string'), type: 'string' };
      }
    }
    exprs.push({ name: key.name, expr: convert(value, key.type) });
  }
  return project(input, exprs);
}
