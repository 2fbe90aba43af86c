// The DuckDB implementation of every IR scalar function, by name, gathered from the category files.
import type { FunctionTable } from './common.js';
import { CONVERSIONS_FUNCTIONS } from './conversions.js';
import { PREDICATES_FUNCTIONS } from './predicates.js';
import { ARITHMETIC_FUNCTIONS } from './arithmetic.js';
import { STRINGS_FUNCTIONS } from './strings.js';
import { MATH_FUNCTIONS } from './math.js';
import { DATETIME_FUNCTIONS } from './datetime.js';
import { DYNAMIC_FUNCTIONS } from './dynamic.js';

export const DUCKDB_FUNCTIONS: Readonly<FunctionTable> = {
  ...CONVERSIONS_FUNCTIONS,
  ...PREDICATES_FUNCTIONS,
  ...ARITHMETIC_FUNCTIONS,
  ...STRINGS_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...DYNAMIC_FUNCTIONS,
};

export { toDynamicSql, toStringSql, termPattern, constString } from './common.js';
