// Builds chainhunt: bundles the CLI (dist/chainhunt.cjs) and, where this Node.js can, a V8 startup
// snapshot holding Microsoft's Kusto parser already loaded and warmed up. Without the snapshot
// the first parse of every process costs about a second; with it, `chainhunt query` starts fast.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  // import.meta.url has no meaning in a CommonJS bundle: give it this file's URL.
  define: { 'import.meta.url': '__chainhunt_import_meta_url' },
  banner: { js: 'const __chainhunt_import_meta_url = require("url").pathToFileURL(__filename).href;' },
  external: ['@duckdb/node-api', '@kusto/language-service-next'],
};

await build({ ...common, entryPoints: [join(root, 'src/cli/main.ts')], outfile: join(dist, 'chainhunt.cjs') });
await build({ ...common, entryPoints: [join(root, 'src/kql/warm.ts')], outfile: join(dist, 'kql-warm.cjs') });

// The snapshot is specific to this Node.js version and architecture.
for (const f of readdirSync(dist)) if (f.endsWith('.blob')) rmSync(join(dist, f));
const blob = join(dist, `snapshot-${process.version}-${process.arch}.blob`);
const result = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', join(root, 'scripts/snapshot-entry.cjs')], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, CHAINHUNT_ROOT: root },
});
if (result.status !== 0 || !existsSync(blob)) {
  console.warn(`chainhunt build: no startup snapshot (${(result.stderr || '').trim().split('\n').pop()}); the CLI will start slower.`);
  rmSync(blob, { force: true });
} else {
  console.log(`chainhunt build: dist/chainhunt.cjs and ${blob.slice(root.length + 1)}`);
}
