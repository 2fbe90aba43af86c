#!/usr/bin/env node
// Compiles and runs every real Defender hunting query of the corpus (except those that fetch
// externaldata) on an empty database, through the CLI's --jsonl batch mode, and reports how many
// run and why the others were refused.
//   node scripts/corpus-check.mjs [--corpus FILE] [--json] [--verbose]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = name => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const corpus = opt('--corpus') ?? join(root, 'test/corpus/defender-hunting.public.jsonl');
const queries = readFileSync(corpus, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l))
  .filter(q => !(q.operators ?? []).includes('externaldata') && !/\bexternaldata\b/i.test(q.query));

const child = spawn(process.execPath, [join(root, 'bin/chainhunt.cjs'), 'query', '--jsonl'], { stdio: ['pipe', 'pipe', 'inherit'] });
const answers = createInterface({ input: child.stdout });
const pending = [];
answers.on('line', line => pending.shift()?.(JSON.parse(line)));
const ask = q => new Promise(resolve => { pending.push(resolve); child.stdin.write(JSON.stringify({ id: q.id, query: q.query }) + '\n'); });

const results = [];
for (const q of queries) results.push({ id: q.id, answer: await ask(q) });
child.stdin.end();

const failed = results.filter(r => r.answer.error !== undefined);
const ok = results.length - failed.length;
if (args.includes('--json')) {
  console.log(JSON.stringify({ total: results.length, ok, failed: failed.map(f => ({ id: f.id, error: f.answer.error })) }, null, 1));
} else {
  if (args.includes('--verbose')) for (const f of failed) console.log(`FAIL ${f.id}: ${f.answer.error.split('\n')[0]}`);
  console.log(`${ok} of ${results.length} hunting queries compile and run (${(100 * ok / results.length).toFixed(1)}%)`);
}
