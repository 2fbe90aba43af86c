// Builds chainhunt: bundles the CLI (dist/chainhunt.cjs) and, where this Node.js can, a V8 startup
// snapshot holding Microsoft's Kusto parser already loaded and warmed up. Without the snapshot
// the first parse of every process costs about a second; with it, `chainhunt query` starts fast.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
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
  // Loaded from node_modules when used: the native DuckDB binding, the parser (snapshotted apart), and
  // the HTTP server's packages (only `serve` and `demo` need them).
  external: ['@duckdb/node-api', '@kusto/language-service-next', 'fastify', '@fastify/*'],
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

// The web console (React + Vite) into dist/web, with .br and .gz siblings that `chainhunt serve`
// sends to browsers accepting them (the Kusto language worker alone is 8 MB uncompressed).
if (process.env.CHAINHUNT_SKIP_WEB) {
  console.log('chainhunt build: console skipped (CHAINHUNT_SKIP_WEB)');
} else {
  const { build: viteBuild } = await import('vite');
  const started = Date.now();
  // Warnings come from the Kusto packages' own code (eval, fs); errors still fail the build.
  await viteBuild({ configFile: join(root, 'web/vite.config.ts'), logLevel: 'error' });
  let raw = 0;
  let packed = 0;
  const compress = dir => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) compress(path);
      else if (/\.(js|mjs|css|html|json|svg|map|txt|ttf)$/.test(entry.name) && statSync(path).size > 1024) {
        const data = readFileSync(path);
        const br = brotliCompressSync(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length } });
        writeFileSync(`${path}.br`, br);
        writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
        raw += data.length;
        packed += br.length;
      }
    }
  };
  compress(join(dist, 'web'));
  console.log(`chainhunt build: dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s (${(raw / 1e6).toFixed(1)} MB, ${(packed / 1e6).toFixed(1)} MB as brotli)`);
}
