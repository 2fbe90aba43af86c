// The Kusto scalar types chainhunt supports, by their canonical Kusto names.
export const KUSTO_TYPES = ['bool', 'int', 'long', 'real', 'decimal', 'string', 'datetime', 'timespan', 'dynamic', 'guid'] as const;
export type KustoType = (typeof KUSTO_TYPES)[number];

const ALIASES: Record<string, KustoType> = {
  bool: 'bool', boolean: 'bool',
  int: 'int', int32: 'int',
  long: 'long', int64: 'long',
  real: 'real', double: 'real',
  decimal: 'decimal',
  string: 'string',
  datetime: 'datetime', date: 'datetime',
  timespan: 'timespan', time: 'timespan',
  dynamic: 'dynamic',
  guid: 'guid', uniqueid: 'guid',
};

/** Maps a Kusto type name (or alias such as `boolean`, `double`, `date`) to its canonical name. */
export function kustoType(name: string): KustoType | undefined {
  return ALIASES[name.toLowerCase()];
}

export function isNumeric(t: KustoType): boolean {
  return t === 'int' || t === 'long' || t === 'real' || t === 'decimal';
}

export interface ColumnDef {
  readonly name: string;
  readonly type: KustoType;
}
