#!/usr/bin/env node
// chainhunt launcher. Starts the CLI from its V8 startup snapshot when the build made one for this
// Node.js (the Kusto parser is then already loaded and warm), otherwise from the plain bundle.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const dist = path.join(__dirname, '..', 'dist');
const bundle = path.join(dist, 'chainhunt.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write(`chainhunt is not built: run "npm run build" in ${path.join(__dirname, '..')}\n`);
  process.exit(1);
}
const blob = path.join(dist, `snapshot-${process.version}-${process.arch}.blob`);
if (fs.existsSync(blob) && !process.env.CHAINHUNT_NO_SNAPSHOT) {
  const { spawnSync } = require('node:child_process');
  const result = spawnSync(process.execPath, ['--snapshot-blob', blob, '--', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, CHAINHUNT_DIST: dist },
  });
  if (result.error) throw result.error;
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status === null ? 1 : result.status);
} else {
  require(bundle).main(process.argv.slice(2));
}
