// The chainhunt command line.
import { Command, Option } from 'commander';
import { runQueryCommand } from './commands/query.js';
import { runHuntCommand } from './commands/hunt.js';
import { runDemoCommand } from './commands/demo.js';
import { runIngestCommand } from './commands/ingest.js';
import { runSimulateCommand } from './commands/simulate.js';
import { runDetectCommand } from './commands/detect.js';
import { runRespondCommand } from './commands/respond.js';
import { runEvalCommand } from './commands/eval.js';
import { runWatchCommand } from './commands/watch.js';
import { runIncidentsCommand, runIncidentUpdateCommand } from './commands/incidents.js';
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
    .command('detect')
    .description('run every enabled detection rule (content/rules) over the stored telemetry, save the alerts into AlertInfo/AlertEvidence, correlate them into incidents and run attack disruption (dry run)')
    .requiredOption('--db <file>', 'DuckDB database file')
    .option('--rules <dir>', 'the rules folder (default: content/rules)')
    .option('--rule <id>', 'only this rule (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--now <datetime>', 'end of the period to evaluate, exclusive (default: just after the latest stored event)')
    .option('--from <datetime>', 'start of the period to evaluate (default: the earliest stored event)')
    .option('--no-correlate', 'do not correlate the alerts into incidents afterwards (nor respond)')
    .option('--no-respond', 'do not run attack disruption (dry run) on the incidents afterwards')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async opts => {
      process.exitCode = await runDetectCommand(opts);
    });

  program
    .command('demo')
    .description("simulate an organisation with the helpdesk-impersonation intrusion in it, ingest its telemetry, detect, correlate into incidents, disrupt (dry run), score against the ground truth, run the seed's hunting queries, then serve the console on it")
    .option('--db <file>', 'DuckDB database file to load (default: a new one in the system temp folder)')
    .option('--seed <n>', 'simulation seed', '7')
    .option('--devices <n>', 'devices in the simulated organisation', '80')
    .option('--days <n>', 'days of telemetry', '7')
    .option('--intrusions <n>', 'intrusions to plant', '4')
    .option('--port <n>', 'port for the console (default 8080, or a free one when that is taken)')
    .option('--no-serve', 'end after the report instead of serving the console')
    .action(async opts => {
      process.exitCode = await runDemoCommand(opts);
    });

  program
    .command('respond')
    .description('attack disruption: evaluate the policies (content/policies) over the stored incidents and contain users and devices')
    .requiredOption('--db <file>', 'DuckDB database file')
    .option('--responder <names>', 'dry-run (default: record what would be done), webhook, graph, mde, or several: graph,mde', 'dry-run')
    .option('--config <file>', 'responder settings and secrets (YAML or JSON, permissions 0600); secrets also come from CHAINHUNT_* environment variables, never from arguments')
    .option('--policies <path>', 'a policy file or folder (default: content/policies)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async opts => {
      process.exitCode = await runRespondCommand(opts);
    });

  program
    .command('eval')
    .description("score the stored alerts, incidents and disruption against a simulation's labels.json")
    .requiredOption('--db <file>', 'DuckDB database file')
    .requiredOption('--labels <file>', "the simulator's labels.json")
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async opts => {
      process.exitCode = await runEvalCommand(opts);
    });

  program
    .command('watch')
    .description('ingest telemetry files as they arrive in a folder, run the continuous detection rules on the data that landed, correlate and respond')
    .requiredOption('--db <file>', 'DuckDB database file')
    .requiredOption('--from <dir>', 'the folder files arrive in (read recursively)')
    .option('--interval <duration>', 'time between passes over the folder', '500ms')
    .option('--responder <names>', 'attack disruption responder(s): dry-run (default), webhook, graph, mde, or graph,mde', 'dry-run')
    .option('--config <file>', 'responder settings and secrets (permissions 0600)')
    .option('--quarantine <file>', 'where rejected records go (default: <db>.quarantine.jsonl)')
    .option('--once', 'one pass, then exit')
    .action(async opts => {
      process.exitCode = await runWatchCommand(opts);
    });

  program
    .command('incidents')
    .description('the incident queue (alerts correlated into multi-stage incidents), or one incident with its alerts; --format json writes the Microsoft Graph security API form')
    .requiredOption('--db <file>', 'DuckDB database file')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--status <statuses>', 'only these statuses, comma-separated: active, inProgress, resolved, redirected (default: all but redirected in the table, all in JSON)')
    .option('--severity <severities>', 'only these severities, comma-separated: informational, low, medium, high')
    .option('--id <id>', 'one incident in detail: its alerts, their source events, entities, response actions, comments, history')
    .option('--tenant <id>', 'the tenant id to write in the JSON (default: null)')
    .option('--correlate', 'correlate the stored alerts first')
    .action(async opts => {
      process.exitCode = await runIncidentsCommand(opts);
    });

  program
    .command('serve')
    .description('serve the web console and the HTTP API (under /api, OpenAPI at /api/openapi.json) over a database')
    .requiredOption('--db <file>', 'DuckDB database file (created if missing)')
    .option('--port <n>', 'TCP port', '8080')
    .option('--host <host>', 'address to listen on (not loopback: CHAINHUNT_TOKEN must be set)', '127.0.0.1')
    .option('--max-upload-mb <n>', 'largest file the console may upload, in MB (default: 512)')
    .option('--now <datetime>', 'the instant now() and ago() refer to in queries (for replayed data; default: the current time)')
    .option('--log', 'log every request (JSON lines on stdout)')
    .action(async opts => {
      // The HTTP server's packages load only for this command (the others start without them).
      const { runServeCommand } = await import('./commands/serve.js');
      process.exitCode = await runServeCommand(opts);
    });

  const incident = program.command('incident').description('work an incident: change its status, classification, assignment, tags; comment on it');
  incident
    .command('update')
    .description('change an incident (the changes persist in the database, survive re-correlation and go into its history)')
    .argument('<id>', 'the incident id')
    .requiredOption('--db <file>', 'DuckDB database file')
    .option('--status <status>', 'active, inProgress or resolved')
    .option('--classification <c>', 'unknown, falsePositive, truePositive or informationalExpectedActivity')
    .option('--determination <d>', "Microsoft Graph's determination: apt, malware, multiStagedAttack, compromisedUser, phishing, securityTesting, clean, other, ...")
    .option('--assign <user>', 'assign the incident to someone')
    .option('--unassign', 'assign it to nobody')
    .option('--tag <tag>', 'add a tag (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--remove-tag <tag>', 'remove a tag (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--comment <text>', 'add a comment')
    .option('--by <name>', 'who makes the change (default: the user name)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (id: string, opts) => {
      process.exitCode = await runIncidentUpdateCommand(id, opts);
    });

  return program;
}

/** `chainhunt query ... | head`: a reader that stops early ends the output, not in a stack trace. */
function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

export async function main(argv: string[]): Promise<void> {
  exitQuietlyOnClosedPipe();
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
  } catch (e) {
    process.stderr.write(userMessage(e) + '\n');
    if (!isUserError(e) && process.env.CHAINHUNT_DEBUG) process.stderr.write(String((e as Error).stack) + '\n');
    process.exitCode = 1;
  }
}
