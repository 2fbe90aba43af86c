// Conversions between Kusto types, as IR calls (tostring, tolong...). Dynamic values are converted
// the way Kusto converts them: tostring of a dynamic string is the string, of an object its JSON.
import type { KustoType } from '../schema/kusto-types.js';
import { call, type ScalarExpr } from '../ir/scalar.js';

const CONVERSIONS: Record<KustoType, string> = {
  string: 'tostring',
  long: 'tolong',
  int: 'toint',
  real: 'toreal',
  decimal: 'todecimal',
  bool: 'tobool',
  datetime: 'todatetime',
  timespan: 'totimespan',
  guid: 'toguid',
  // A typed value seen as a dynamic value (not parsed: that is todynamic on a string).
  dynamic: 'as_dynamic',
};

export function convert(expr: ScalarExpr, type: KustoType): ScalarExpr {
  if (expr.type === type) return expr;
  if (expr.kind === 'literal' && expr.value === null) return { kind: 'literal', value: type === 'string' ? '' : null, type };
  return call(CONVERSIONS[type], [expr], type);
}
