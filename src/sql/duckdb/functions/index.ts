// The DuckDB implementation of every IR scalar function, by name, gathered from the category files.
import type { FunctionTable } from './common.js';
import { CONVERSIONS_FUNCTIONS } from './conversions.js';
import { PREDICATES_FUNCTIONS } from './predicates.js';
import { ARITHMETIC_FUNCTIONS } from './arithmetic.js';
import { STRINGS_FUNCTIONS } from './strings.js';
import { MATH_FUNCTIONS } from './math.js';
import { DATETIME_FUNCTIONS } from './datetime.js';
import { DYNAMIC_FUNCTIONS } from './dynamic.js';
import { IP_FUNCTIONS } from './ip.js';
import { ARRAY_FUNCTIONS } from './arrays.js';
import { ENCODING_FUNCTIONS } from './encoding.js';
import { PARSING_FUNCTIONS } from './parsing.js';
import { SKETCH_FUNCTIONS } from './sketches.js';
import { UNIT_FUNCTIONS } from './units.js';
import { PUNYCODE_FUNCTIONS } from './punycode.js';
import { GEO_FUNCTIONS } from './geo.js';
import { SERIES_FUNCTIONS } from './series.js';

export const DUCKDB_FUNCTIONS: Readonly<FunctionTable> = {
  ...CONVERSIONS_FUNCTIONS,
  ...PREDICATES_FUNCTIONS,
  ...ARITHMETIC_FUNCTIONS,
  ...STRINGS_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...DYNAMIC_FUNCTIONS,
  ...IP_FUNCTIONS,
  ...ARRAY_FUNCTIONS,
  ...ENCODING_FUNCTIONS,
  ...PARSING_FUNCTIONS,
  ...SKETCH_FUNCTIONS,
  ...UNIT_FUNCTIONS,
  ...PUNYCODE_FUNCTIONS,
  ...GEO_FUNCTIONS,
  ...SERIES_FUNCTIONS,
};

export { toDynamicSql, toStringSql, termPattern, constString } from './common.js';
