// DuckDB: Arithmetic with Kusto typing: datetime and timespan math in 100-ns ticks, integer division.
import { arithmetic, type FunctionTable } from './common.js';

export const ARITHMETIC_FUNCTIONS: FunctionTable = {
  add: arithmetic('+'),
  sub: arithmetic('-'),
  mul: arithmetic('*'),
  div: arithmetic('/'),
  mod: arithmetic('%'),
  neg: ([a]) => `(-${a!.sql})`,
};
