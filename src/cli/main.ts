// The chainhunt command line.
import { Command, Option } from 'commander';
import { runQueryCommand } from './commands/query.js';
import { runHuntCommand } from './commands/hunt.js';
import { runDemoCommand } from './commands/demo.js';
import { runIngestCommand } from './commands/ingest.js';
import { runSimulateCommand } from './commands/simulate.js';
import { isUserError, userMessage } from './errors.js';

const formatOption = () => new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table');

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('chainhunt')
    .description('Defender advanced hunting (KQL) on your own telemetry, compiled to SQL on embedded DuckDB.')
    .showHelpAfterError()
    .configureOutput({ writeErr: s => process.stderr.write(s) });

  program
    .command('query')
    .description('run a KQL query (argument, -f FILE, or stdin)')
    .argument('[kql]', 'the query text')
    .option('-f, --file <file>', 'read the query from a file')
    .option('--db <file>', 'DuckDB database file (default: an empty in-memory database with the Defender tables)')
    .addOption(formatOption())
    .option('--explain', 'print the SQL (and its parameters) instead of running it')
    .option('--jsonl', 'batch mode: read {"id","query"} lines on stdin, answer one JSON line each')
    .option('--now <datetime>', 'the instant now() and ago() refer to (default: the current time)')
    .action(async (kql: string | undefined, opts) => {
      process.exitCode = await runQueryCommand(kql, opts);
    });

  program
    .command('hunt')
    .description("run the seed's hunting queries A–K (or the named ones) and print the hits of each")
    .argument('[names...]', 'queries by section letter or file name (default: all)')
    .option('--db <file>', 'DuckDB database file')
    .addOption(formatOption())
    .option('--now <datetime>', 'the instant now() and ago() refer to (default: the current time)')
    .action(async (names: string[], opts) => {
      process.exitCode = await runHuntCommand(names, opts);
    });

  program
    .command('ingest')
    .description('load Defender telemetry files and folders (streaming API records, advanced hunting JSON/CSV exports, NDJSON rows; gzip too) into a database')
    .argument('<paths...>', 'files or folders (read recursively)')
    .requiredOption('--db <file>', 'DuckDB database file to load into (created if missing)')
    .option('--format <format>', 'force a format: streaming-api, ah-json, csv or ndjson (default: detected per file)')
    .option('--table <table>', 'the table of files whose records do not name one (default: from the file or folder name)')
    .option('--quarantine <file>', 'where rejected records go, as JSON lines (default: <db>.quarantine.jsonl)')
    .action(async (paths: string[], opts) => {
      process.exitCode = await runIngestCommand(paths, opts);
    });

  program
    .command('simulate')
    .description("write simulated Defender telemetry (streaming API files) with the seed's intrusions and benign look-alikes, and labels.json")
    .requiredOption('--out <dir>', 'output folder: <Table>/<Table>-NNNN.json files and labels.json')
    .option('--seed <n>', 'random seed: the same seed and options write the same bytes (default: 1)')
    .option('--devices <n>', 'devices in the organisation (default: 200)')
    .option('--users <n>', 'people in the organisation (default: about one per workstation)')
    .option('--days <n>', 'length of the simulated period in days (default: 14)')
    .option('--intrusions <n>', 'intrusions to plant (default: 4)')
    .option('--end <datetime>', "the period's end, the instant to query with (default: 2026-03-10T12:00:00Z)")
    .addOption(new Option('--part-records <n>', 'records per file part (default: 500000)').hideHelp())
    .option('--quiet', 'no progress on stderr')
    .action(async opts => {
      process.exitCode = await runSimulateCommand(opts);
    });

  program
    .command('demo')
    .description("simulate an organisation with the helpdesk-impersonation intrusion in it, ingest its telemetry and run the seed's hunting queries over it")
    .option('--db <file>', 'DuckDB database file to load (default: a new one in the system temp folder)')
    .option('--seed <n>', 'simulation seed', '7')
    .option('--devices <n>', 'devices in the simulated organisation', '80')
    .option('--days <n>', 'days of telemetry', '7')
    .option('--intrusions <n>', 'intrusions to plant', '4')
    .action(async opts => {
      process.exitCode = await runDemoCommand(opts);
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
  } catch (e) {
    process.stderr.write(userMessage(e) + '\n');
    if (!isUserError(e) && process.env.CHAINHUNT_DEBUG) process.stderr.write(String((e as Error).stack) + '\n');
    process.exitCode = 1;
  }
}
