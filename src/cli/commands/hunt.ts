// chainhunt hunt: run the hunting pack (or the named queries) and print the hits of each.
import { Engine } from '../../engine.js';
import { loadHuntingPack, selectHuntingQueries } from '../../content/hunting.js';
import { formatResult, type OutputFormat } from '../output.js';
import { toJson } from '../../util/json.js';
import { userMessage } from '../errors.js';
import { parseNow } from './query.js';
import { resultJson, withoutEmptyColumns } from '../output.js';

export interface HuntOptions {
  readonly db?: string;
  readonly format: OutputFormat;
  readonly now?: string;
}

/** Runs the pack on `options.db`, or on an engine the caller already opened (and then closes it). */
export async function runHuntCommand(names: string[], options: HuntOptions, opened?: Engine): Promise<number> {
  const queries = selectHuntingQueries(loadHuntingPack(), names);
  const engine = opened ?? (await Engine.open({ path: options.db, readOnly: false }));
  const now = parseNow(options.now);
  let failures = 0;
  const json: string[] = [];
  try {
    for (const q of queries) {
      try {
        const result = await engine.query(q.query, { now });
        if (options.format === 'json') {
          json.push(`{"name":${toJson(q.name)},"section":${toJson(q.section)},"title":${toJson(q.title)},${resultJson(result).slice(1)}`);
        } else {
          process.stdout.write(`\n== ${q.section}. ${q.title} (${q.name}): ${result.rows.length} hit${result.rows.length === 1 ? '' : 's'}\n`);
          if (result.rows.length && options.format === 'table') {
            // Wide Defender rows: show the columns that hold something.
            const { result: shown, hidden } = withoutEmptyColumns(result);
            process.stdout.write(formatResult(shown, 'table'));
            if (hidden) process.stdout.write(`(${hidden} empty column${hidden === 1 ? '' : 's'} not shown; --format json or csv shows all)\n`);
          } else if (result.rows.length) {
            process.stdout.write(formatResult(result, options.format));
          }
        }
      } catch (e) {
        failures++;
        process.stderr.write(`${userMessage(e, q.file)}\n`);
      }
    }
  } finally {
    engine.close();
  }
  if (options.format === 'json') process.stdout.write(`[${json.join(',\n')}]\n`);
  return failures ? 1 : 0;
}
