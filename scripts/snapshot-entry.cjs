// Runs inside `node --build-snapshot`: only built-in modules can be required here, so the Kusto
// library and chainhunt's warm-up bundle are evaluated from their files.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const v8 = require('node:v8');

const root = process.env.CHAINHUNT_ROOT;
const kusto = path.join(root, 'node_modules', '@kusto', 'language-service-next');
for (const file of ['bridge.min.js', 'Kusto.Language.Bridge.min.js']) {
  vm.runInThisContext(fs.readFileSync(path.join(kusto, file), 'utf8'), { filename: path.join(kusto, file) });
}

function evaluateCommonJs(file) {
  const module = { exports: {} };
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, 'utf8')}\n})`, { filename: file });
  wrapper(module.exports, require, module, file, path.dirname(file));
  return module.exports;
}
evaluateCommonJs(path.join(root, 'dist', 'kql-warm.cjs')).warmUp();

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // Started as `node --snapshot-blob FILE -- args...`: argv[0] is node, the rest are chainhunt's.
  const dist = process.env.CHAINHUNT_DIST;
  const { createRequire } = require('node:module');
  const load = createRequire(path.join(dist, 'chainhunt.cjs'));
  load('./chainhunt.cjs').main(process.argv.slice(1));
});
