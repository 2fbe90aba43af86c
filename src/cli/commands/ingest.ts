// chainhunt ingest --db FILE PATH...: load telemetry files and folders into the database.
import { relative } from 'node:path';
import { Engine } from '../../engine.js';
import { ingest, type IngestSummary } from '../../ingest/ingest.js';
import { FORMATS, type Format } from '../../ingest/formats.js';
import { Progress } from '../progress.js';
import { UsageError } from '../errors.js';

export interface IngestCommandOptions {
  readonly db: string;
  readonly format?: string;
  readonly table?: string;
  readonly quarantine?: string;
}

const rate = (n: number, s: number) => (s > 0 ? `${Math.round(n / s).toLocaleString('en-US')}/s` : '');
const show = (p: string) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

export async function runIngestCommand(paths: string[], options: IngestCommandOptions): Promise<number> {
  if (paths.length === 0) throw new UsageError('give at least one file or folder to ingest');
  if (options.format && !(FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  }
  const quarantinePath = options.quarantine ?? `${options.db}.quarantine.jsonl`;
  const engine = await Engine.open({ path: options.db });
  const progress = new Progress();
  const started = performance.now();
  let summary: IngestSummary;
  try {
    summary = await ingest(engine.store, paths, {
      format: options.format as Format | undefined,
      table: options.table,
      quarantinePath,
      onProgress: p => {
        const secs = (performance.now() - started) / 1000;
        progress.update({
          done: p.fileIndex, total: p.fileCount, label: `file ${p.fileIndex + 1}/${p.fileCount}`,
          detail: `${p.records.toLocaleString('en-US')} records (${rate(p.records, secs)}), ${p.rejected} rejected  ${show(p.file)}`,
        });
      },
      onFile: f => {
        const what = f.status === 'ingested' || f.status === 'resumed'
          ? `${f.accepted.toLocaleString('en-US')} records${f.rejected ? `, ${f.rejected} rejected` : ''} in ${f.seconds.toFixed(1)} s${f.message ? ` (${f.message})` : ''}`
          : f.message ?? '';
        progress.log(`${f.status.padEnd(8)} ${show(f.path)}${f.format ? ` [${f.format}${f.bulk ? ", bulk" : ""}]` : ''}: ${what}`);
      },
    });
  } finally {
    progress.done();
    engine.close();
  }
  const total = [...summary.tables.values()].reduce((a, c) => a + c.accepted, 0);
  const out: string[] = ['', 'Table'.padEnd(40) + 'accepted'.padStart(12) + 'rejected'.padStart(10)];
  for (const [t, c] of [...summary.tables].sort()) out.push(t.padEnd(40) + c.accepted.toLocaleString('en-US').padStart(12) + String(c.rejected).padStart(10));
  out.push(`${total.toLocaleString('en-US')} records stored in ${summary.seconds.toFixed(1)} s (${rate(total, summary.seconds)}) into ${options.db}`);
  for (const [t, fields] of summary.unknownFields) {
    out.push(`note: ${t} records carried fields the schema does not have, kept in AdditionalFields or __extra: ${[...fields].map(([f, n]) => `${f} (${n})`).join(', ')}`);
  }
  if (summary.quarantined) out.push(`${summary.quarantined} record(s) rejected: see ${quarantinePath} (file, line, reason, raw record)`);
  const failed = summary.files.filter(f => f.status === 'failed');
  if (failed.length) out.push(`${failed.length} file(s) failed: ${failed.map(f => `${show(f.path)}: ${f.message}`).join('; ')}`);
  process.stdout.write(out.join('\n') + '\n');
  return failed.length ? 1 : 0;
}
