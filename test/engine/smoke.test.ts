import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';

describe('engine', () => {
  it('runs print with Kusto result names and value forms', async () => {
    const engine = await Engine.open();
    try {
      const r = await engine.query('print 1 + 2, x = "a", t = datetime(2024-01-02 03:04:05.1234567), d = 90m, j = dynamic({"k": [1, 2]})');
      expect(r.columns).toEqual([
        { name: 'print_0', type: 'long' }, { name: 'x', type: 'string' }, { name: 't', type: 'datetime' },
        { name: 'd', type: 'timespan' }, { name: 'j', type: 'dynamic' },
      ]);
      expect(r.rows).toEqual([[3n, 'a', '2024-01-02T03:04:05.1234560Z', '01:30:00', { k: [1, 2] }]]);
    } finally {
      engine.close();
    }
  });
});
