// parse / parse-where: the pattern becomes one regular expression with a capture group per column
// (kind=simple and relaxed escape the string constants; kind=regex uses them as regex fragments).
// Rows that do not match get empty columns (parse) or are dropped (parse-where).
import type { ColumnDef, KustoType } from '../schema/kusto-types.js';
import { call, column, literal, nullOf, type ScalarExpr } from '../ir/scalar.js';
import { filter, project, type NamedExpr, type RelNode } from '../ir/relational.js';

let parseIds = 0;
import { items, kindName, namedParameters, parameterText, type SyntaxNode } from '../kql/syntax.js';
import { tableColumns, type LowerContext } from './context.js';
import { lowerScalar } from './scalar.js';
import { convert } from './convert.js';

const TYPE_PATTERNS: Partial<Record<KustoType, string>> = {
  int: '-?\\d+',
  long: '-?\\d+',
  real: '-?\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?',
  decimal: '-?\\d+(?:\\.\\d*)?',
  bool: '(?i:true|false|1|0)',
};

/** The capturing groups a regular expression fragment opens: `(` not escaped, not `(?`, not in a class. */
function capturingGroups(regex: string): number {
  let count = 0;
  let inClass = false;
  for (let i = 0; i < regex.length; i++) {
    const ch = regex[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === '(' && regex[i + 1] !== '?') count++;
    else if (ch === '(' && regex[i + 1] === '?' && regex[i + 2] === 'P' && regex[i + 3] === '<') count++;
  }
  return count;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Capture {
  readonly name: string;
  readonly type: KustoType;
  readonly group: number;
}

export function lowerParse(ctx: LowerContext, input: RelNode, node: Kusto.Language.Syntax.ParseOperator, dropUnmatched: boolean): RelNode {
  const params = namedParameters(node.Parameters);
  const mode = (parameterText(params.get('kind')) ?? 'simple').toLowerCase();
  if (mode !== 'simple' && mode !== 'regex' && mode !== 'relaxed') throw ctx.unsupported(node, `parse kind=${mode}`);
  const flags = (parameterText(params.get('flags')) ?? '').replace(/["']/g, '');
  const out = tableColumns(ctx, node);
  const scope = { columns: input.columns };
  const source = convert(lowerScalar(ctx, node.Expression!, scope), 'string');
  const patterns = items<SyntaxNode>(node.Patterns as never);

  let regex = '';
  const captures: Capture[] = [];
  let group = 0;
  patterns.forEach((p, i) => {
    const kind = kindName(p);
    const last = i === patterns.length - 1;
    if (kind === 'StarExpression') {
      regex += last ? '.*' : '.*?';
      return;
    }
    if (kind === 'StringLiteralExpression' || kind === 'CompoundStringLiteralExpression') {
      const text = String((p as Kusto.Language.Syntax.Expression).ConstantValue ?? (p as Kusto.Language.Syntax.Expression).LiteralValue ?? '');
      if (mode === 'regex') {
        regex += text;
        group += capturingGroups(text);
      } else {
        regex += escapeRegex(text);
      }
      return;
    }
    let name: string;
    if (kind === 'NameAndTypeDeclaration') name = (p as Kusto.Language.Syntax.NameAndTypeDeclaration).Name!.SimpleName!;
    else if (kind === 'NameDeclaration') name = (p as Kusto.Language.Syntax.NameDeclaration).SimpleName!;
    else throw ctx.unsupported(p, `the parse pattern element ${kind}`);
    const type = out.find(c => c.name === name)?.type ?? 'string';
    const typed = TYPE_PATTERNS[type];
    // kind=regex captures greedily (the U flag makes it lazy); relaxed accepts a value of the
    // wrong type (it becomes null) when the typed pattern does not match.
    const anything = last || mode === 'regex' ? '.*' : '.*?';
    if (mode === 'relaxed') regex += typed ? `(${typed}|.*?)` : `(${anything})`;
    else regex += `(${typed ?? anything})`;
    captures.push({ name, type, group: ++group });
  });
  const first = patterns[0];
  const anchored = first && kindName(first) !== 'StarExpression';
  let prefix = '';
  if (mode === 'regex' && flags) {
    const inline = flags.replace(/[^imsU]/g, '');
    if (inline) prefix = `(?${inline})`;
  }
  const fullRegex = `${prefix}${anchored ? '^' : ''}${regex}`;
  const pattern = literal(fullRegex, 'string');
  // Each capture is extracted once, into a hidden column; the match test and the outputs use those.
  const id = ++parseIds;
  const hidden = (name: string) => `__parse${id}_${name}`;
  const stage: NamedExpr[] = input.columns.map(c => ({ name: c.name, expr: column(c.name, c.type) }));
  stage.push({ name: hidden('ok'), expr: call('matches_regex', [source, pattern], 'bool') });
  captures.forEach((c, i) => {
    const raw = call('extract', [pattern, literal(BigInt(c.group), 'long'), source], 'string');
    stage.push({ name: hidden(String(i)), expr: c.type === 'string' ? raw : convert(raw, c.type) });
  });
  let rel: RelNode = project(input, stage);
  const value = (i: number) => column(hidden(String(i)), captures[i]!.type);
  // kind=simple and regex are strict: a typed column that does not convert voids the whole match.
  let ok: ScalarExpr = column(hidden('ok'), 'bool');
  if (mode !== 'relaxed') {
    captures.forEach((c, i) => {
      if (c.type !== 'string') ok = call('and', [ok, call('isnotnull', [value(i)], 'bool')], 'bool');
    });
  }
  if (dropUnmatched) rel = filter(rel, ok);
  const exprs = out.map((c: ColumnDef) => {
    const i = captures.findIndex(x => x.name === c.name);
    if (i < 0) return { name: c.name, expr: column(c.name, c.type) };
    const v = value(i);
    if (dropUnmatched) return { name: c.name, expr: v };
    return { name: c.name, expr: { kind: 'case' as const, branches: [{ when: ok, then: v }], otherwise: nullOf(c.type), type: c.type } };
  });
  return project(rel, exprs);
}
