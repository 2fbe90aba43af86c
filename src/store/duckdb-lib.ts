// DuckDB's Node API, loaded on first use: it is a large native library, and commands that never
// open a database (--help, query --explain) should not pay for loading it.
import { createRequire } from 'node:module';

type DuckDbApi = typeof import('@duckdb/node-api');

let api: DuckDbApi | undefined;

export function duckdb(): DuckDbApi {
  if (!api) api = createRequire(import.meta.url)('@duckdb/node-api') as DuckDbApi;
  return api;
}
