// DuckDB: Math functions and bin().
import { type FunctionTable } from './common.js';

export const MATH_FUNCTIONS: FunctionTable = {
  abs: ([a]) => `abs(${a!.sql})`,
  ceiling: ([a]) => `ceil(${a!.sql})`,
  sqrt: ([a]) => `sqrt(${a!.sql})`,
  pow: ([a, b]) => `pow(${a!.sql}, ${b!.sql})`,
  exp: ([a]) => `exp(${a!.sql})`,
  exp2: ([a]) => `pow(2, ${a!.sql})`,
  exp10: ([a]) => `pow(10, ${a!.sql})`,
  log: ([a]) => `CASE WHEN ${a!.sql} > 0 THEN ln(${a!.sql}) ELSE NULL END`,
  log2: ([a]) => `CASE WHEN ${a!.sql} > 0 THEN log2(${a!.sql}) ELSE NULL END`,
  log10: ([a]) => `CASE WHEN ${a!.sql} > 0 THEN log10(${a!.sql}) ELSE NULL END`,
  sign: ([a]) => `sign(${a!.sql})`,
  round: ([a, p]) => (p ? `round(${a!.sql}, CAST(${p.sql} AS INTEGER))` : `round(${a!.sql})`),
  sin: ([a]) => `sin(${a!.sql})`,
  cos: ([a]) => `cos(${a!.sql})`,
  tan: ([a]) => `tan(${a!.sql})`,
  asin: ([a]) => `asin(${a!.sql})`,
  acos: ([a]) => `acos(${a!.sql})`,
  atan: ([a]) => `atan(${a!.sql})`,
  atan2: ([a, b]) => `atan2(${a!.sql}, ${b!.sql})`,
  cot: ([a]) => `cot(${a!.sql})`,
  pi: () => 'pi()',
  degrees: ([a]) => `degrees(${a!.sql})`,
  radians: ([a]) => `radians(${a!.sql})`,
  max_of: args => `greatest(${args.map(a => a.sql).join(', ')})`,
  min_of: args => `least(${args.map(a => a.sql).join(', ')})`,
  bin: ([x, size], call) => {
    if (x!.type === 'datetime') return `kql_bin_datetime(${x!.sql}, ${size!.sql})`;
    if (x!.type === 'timespan' || call.type === 'long' || call.type === 'int') return `CAST(kql_floor_multiple(${x!.sql}, ${size!.sql}) AS ${call.type === 'int' ? 'INTEGER' : 'BIGINT'})`;
    return `(floor(${x!.sql} / ${size!.sql}) * ${size!.sql})`;
  },
  bin_at: ([x, size, at], call) => {
    if (x!.type === 'datetime') return `kql_bin_datetime_at(${x!.sql}, ${size!.sql}, ${at!.sql})`;
    if (x!.type === 'timespan' || call.type === 'long') return `(${at!.sql} + kql_floor_multiple(${x!.sql} - ${at!.sql}, ${size!.sql}))`;
    return `(${at!.sql} + floor((${x!.sql} - ${at!.sql}) / ${size!.sql}) * ${size!.sql})`;
  },
};
