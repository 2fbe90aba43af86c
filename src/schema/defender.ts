// The Microsoft Defender XDR advanced hunting schema: every table, its columns and Kusto types.
// Source: defender-schema.json, copied from the public Defender XDR docs (see its README).
import schemaJson from './defender-schema.json' with { type: 'json' };
import { kustoType, type ColumnDef } from './kusto-types.js';

export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
}

function load(): ReadonlyMap<string, TableDef> {
  const tables = new Map<string, TableDef>();
  for (const [name, cols] of Object.entries(schemaJson as Record<string, { name: string; type: string }[]>)) {
    const columns = cols.map(c => {
      const type = kustoType(c.type);
      if (!type) throw new Error(`defender-schema.json: ${name}.${c.name} has unknown type ${c.type}`);
      return { name: c.name, type };
    });
    tables.set(name, { name, columns });
  }
  return tables;
}

export const DEFENDER_TABLES: ReadonlyMap<string, TableDef> = load();

export function defenderTable(name: string): TableDef | undefined {
  return DEFENDER_TABLES.get(name);
}
