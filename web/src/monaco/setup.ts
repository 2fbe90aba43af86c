// Monaco with the Kusto language (@kusto/monaco-kusto), bundled by Vite: the editor worker and the
// Kusto language worker are Vite worker entries, nothing comes from a CDN.
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/editor/edcore.main';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import KustoWorker from '@kusto/monaco-kusto/release/esm/kusto.worker?worker';
import { getKustoWorker, themeNames, type EngineSchema, type Database } from '@kusto/monaco-kusto';
import type { SchemaTable } from '../types';

self.MonacoEnvironment = {
  getWorker(_moduleId: string, label: string) {
    return label === 'kusto' ? new KustoWorker() : new EditorWorker();
  },
};

export { monaco };
export const KUSTO_THEME = themeNames.dark;

/** Our Defender tables and columns as a monaco-kusto engine schema with one database in context. */
export function kustoSchema(tables: readonly SchemaTable[]): EngineSchema {
  const database: Database = {
    name: 'Defender',
    tables: tables.map(t => ({ name: t.name, entityType: 'Table', columns: t.columns.map(c => ({ name: c.name, type: c.type })) })),
    functions: [],
    entityGroups: [],
    majorVersion: 1,
    minorVersion: 0,
  };
  return {
    clusterType: 'Engine',
    cluster: { connectionString: 'https://chainhunt.local', databases: [database] },
    database,
  };
}

/** Hands the schema to the Kusto worker serving `model` (completion, highlighting, diagnostics). */
export async function applySchema(model: monaco.editor.ITextModel, tables: readonly SchemaTable[]): Promise<void> {
  const accessor = await getKustoWorker();
  const worker = await accessor(model.uri);
  await worker.setSchema(kustoSchema(tables));
}
