// chainhunt demo: load the bundled sample of the helpdesk-impersonation intrusion into the embedded
// database and run the seed's hunting pack over it.
import { Engine } from '../../engine.js';
import { loadTableFiles, sampleDir } from '../../ingest/sample.js';
import { runHuntCommand } from './hunt.js';

/** The instant the bundled sample is set at: its ago() windows are relative to this. */
export const SAMPLE_NOW = '2026-03-10T12:00:00Z';

export async function runDemoCommand(options: { db?: string }): Promise<number> {
  const engine = await Engine.open({ path: options.db });
  try {
    const counts = await loadTableFiles(engine.store, sampleDir());
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(`Loaded ${total} sample events (${[...counts].map(([t, n]) => `${t} ${n}`).join(', ')}) into ${options.db ?? 'an in-memory database'}.\n`);
    process.stdout.write(`Running the seed's hunting queries A–K as of ${SAMPLE_NOW}:\n`);
  } catch (e) {
    engine.close();
    throw e;
  }
  return runHuntCommand([], { format: 'table', now: SAMPLE_NOW }, engine);
}
