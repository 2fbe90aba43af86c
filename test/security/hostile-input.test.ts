// Hostile and broken input: nothing the user typed may reach DuckDB as SQL text, and every refusal is
// a clear message with a KQL position.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, compileKql } from '../../src/engine.js';
import { KqlError } from '../../src/kql/diagnostics.js';

let engine: Engine;
beforeAll(async () => {
  engine = await Engine.open();
  await engine.store.insertObjects('DeviceProcessEvents', [
    { Timestamp: '2026-01-01T00:00:00Z', DeviceName: 'ws1', FileName: "a'; DROP TABLE DeviceProcessEvents; --", ReportId: 1 },
    { Timestamp: '2026-01-01T00:00:00Z', DeviceName: 'ws2', FileName: 'b.exe', ReportId: 2 },
  ]);
});
afterAll(() => engine.close());

const BREAKOUTS = [
  "'; DROP TABLE DeviceProcessEvents; --",
  '"); DROP TABLE DeviceProcessEvents; --',
  "x' OR '1'='1",
  '\\\'; SELECT 1; --',
  '/* comment */ 1; -- ',
  '$1 $2 ? :name',
  'naïve ☃ 日本語 \u0000 end',
  "''''",
  '\\\\\\',
];

function kqlString(s: string): string {
  // A Kusto string literal of s: double quotes with backslash escapes.
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\u0000/g, '\\u0000') + '"';
}

describe('string literals cannot break out into SQL', () => {
  it.each(BREAKOUTS)('%j comes back unchanged and leaves no trace in the SQL text', async s => {
    const kql = `print v = ${kqlString(s)}`;
    const compiled = compileKql(kql);
    expect(compiled.sql).not.toContain('DROP');
    expect(compiled.sql).not.toContain('comment');
    const r = await engine.query(kql);
    expect(r.rows).toEqual([[s]]);
  });

  it('a quote in a filter value matches literally and the table survives', async () => {
    const r = await engine.query(`DeviceProcessEvents | where FileName == ${kqlString("a'; DROP TABLE DeviceProcessEvents; --")} | project ReportId`);
    expect(r.rows).toEqual([[1n]]);
    const none = await engine.query(`DeviceProcessEvents | where FileName == ${kqlString("x' OR '1'='1")} | count`);
    expect(none.rows).toEqual([[0n]]);
    const all = await engine.query('DeviceProcessEvents | count');
    expect(all.rows).toEqual([[2n]]);
  });

  it('has, contains and matches regex treat metacharacters literally where Kusto does', async () => {
    const r = await engine.query(`DeviceProcessEvents | where FileName has "DROP" and FileName contains "';" and FileName !contains ".*" | project ReportId`);
    expect(r.rows).toEqual([[1n]]);
  });

  it('identifiers with quotes, semicolons and Unicode are quoted by construction', async () => {
    const r = await engine.query(`print ['we"ird; DROP TABLE x; --'] = 1, ['列'] = 2 | project-rename ['a"b'] = ['列']`);
    expect(r.columns.map(c => c.name)).toEqual(['we"ird; DROP TABLE x; --', 'a"b']);
    expect(r.rows).toEqual([[1n, 2n]]);
  });
});

describe('refusals name the problem and its position', () => {
  function refusal(kql: string): KqlError {
    try {
      compileKql(kql);
    } catch (e) {
      expect(e).toBeInstanceOf(KqlError);
      return e as KqlError;
    }
    throw new Error('expected the query to be refused');
  }

  it('a syntax error gives Kusto diagnostics with line:column', () => {
    const e = refusal('DeviceProcessEvents\n| where FileName ==\n| take 1');
    expect(e.diagnostics[0]).toMatchObject({ line: 2, column: 20, code: 'KS006', message: 'Missing expression' });
    expect(e.message).toBe('2:20: KS006 Missing expression');
  });

  it('an unknown table is named', () => {
    const e = refusal('DeviceProcessEvent | take 1');
    expect(e.diagnostics[0]).toMatchObject({ line: 1, column: 1, code: 'KS204' });
    expect(e.message).toContain("'DeviceProcessEvent'");
  });

  it('an unknown column is named at its position', () => {
    const e = refusal('DeviceProcessEvents\n| where NoSuchColumn == 1');
    expect(e.diagnostics[0]).toMatchObject({ line: 2, column: 9 });
    expect(e.message).toContain("'NoSuchColumn'");
  });

  it('an unsupported construct is named with its position, never a database error', () => {
    const e = refusal('let x = 1;\nexternaldata(a:string) [@"https://example.com/a.csv"] with (format="csv")');
    expect(e.diagnostics[0]).toMatchObject({ line: 2, column: 1, code: 'CH101' });
    expect(e.message).toContain('externaldata');
  });

  it('an empty query and a query with only lets are refused clearly', () => {
    expect(refusal('   ').message).toContain('empty');
    expect(refusal('let x = 1;').message).toContain('no result');
  });

  it('a 1 MB query either runs or is refused with a message; it does not crash', async () => {
    const big = `print n = strlen("${'a'.repeat(1024 * 1024)}")`;
    const r = await engine.query(big);
    expect(r.rows).toEqual([[1048576n]]);
    const deep = 'DeviceProcessEvents | where ' + Array.from({ length: 20000 }, (_, i) => `FileName == "f${i}.exe"`).join(' or ');
    expect(refusal(deep).message).toMatch(/depth/i);
  });
});
