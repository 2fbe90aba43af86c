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
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, ['--snapshot-blob', blob, '--', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, CHAINHUNT_DIST: dist },
  });
  // A signal sent to the launcher alone (kill PID, a service manager) reaches the CLI too, so that it
  // stops as it would have: a server closes its database, an ingest ends its transaction.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', e => {
    process.stderr.write(`chainhunt: cannot start node: ${e.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code === null ? 1 : code);
  });
} else {
  require(bundle).main(process.argv.slice(2));
}
