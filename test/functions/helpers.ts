// Shared engine for the function tests: one in-memory engine per test file.
import { afterAll, beforeAll } from 'vitest';
import { Engine } from '../../src/engine.js';

export function useEngine(): { row: (kql: string) => Promise<readonly unknown[]>; rows: (kql: string) => Promise<readonly (readonly unknown[])[]> } {
  let engine: Engine;
  beforeAll(async () => {
    engine = await Engine.open();
  });
  afterAll(() => engine.close());
  const rows = async (kql: string) => (await engine.query(kql)).rows;
  return { rows, row: async (kql: string) => (await rows(kql))[0]! };
}
