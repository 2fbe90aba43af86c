// Test setup for the geo_*() and series_*() functions: an engine whose prelude includes the geo and
// series macros (registered here until the dialect's prelude carries them), and a raw DuckDB
// connection with the same macros for the tuple-valued series functions.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';
import { Engine } from '../../src/engine.js';
import { duckdbDialect } from '../../src/sql/duckdb/dialect.js';
import { GEO_MACROS } from '../../src/sql/duckdb/geo-macros.js';
import { SERIES_MACROS } from '../../src/sql/duckdb/series-macros.js';

function withMacros(): readonly string[] {
  const have = new Set(duckdbDialect.prelude);
  return [...duckdbDialect.prelude, ...[...GEO_MACROS, ...SERIES_MACROS].filter(m => !have.has(m))];
}

export function useGeoSeriesEngine(): {
  row: (kql: string) => Promise<readonly unknown[]>;
  rows: (kql: string) => Promise<readonly (readonly unknown[])[]>;
  sql: (text: string) => Promise<unknown>;
} {
  let engine: Engine;
  let connection: DuckDBConnection;
  let instance: DuckDBInstance;
  beforeAll(async () => {
    const original = duckdbDialect.prelude;
    Object.assign(duckdbDialect, { prelude: withMacros() });
    try {
      engine = await Engine.open();
    } finally {
      Object.assign(duckdbDialect, { prelude: original });
    }
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run(withMacros().join(';\n'));
  });
  afterAll(() => {
    engine.close();
    connection.closeSync();
    instance.closeSync();
  });
  const rows = async (kql: string) => (await engine.query(kql)).rows;
  const sql = async (text: string) => {
    const reader = await connection.runAndReadAll(text);
    const v = reader.getRows()[0]![0];
    return v === null ? null : JSON.parse(String(v));
  };
  return { rows, row: async (kql: string) => (await rows(kql))[0]!, sql };
}
