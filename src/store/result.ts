// A query result in Kusto's terms: typed columns and rows of Kusto value forms (see values.ts).
import type { KustoType } from '../schema/kusto-types.js';

export interface ResultColumn {
  readonly name: string;
  readonly type: KustoType;
}

/**
 * Cell values: bool → boolean; int → number; long → bigint; real → number (NaN and ±Infinity
 * kept); decimal → string; string → string; datetime → ISO-8601 UTC text with 7 fractional
 * digits; timespan → [-][d.]hh:mm:ss[.fffffff]; dynamic → the parsed JSON value; guid → text;
 * null → null.
 */
export type Cell = null | boolean | number | bigint | string | JsonValue;
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface QueryResult {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly Cell[])[];
}
