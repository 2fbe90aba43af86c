// chainhunt serve: the HTTP API and the web console over a database, until interrupted.
import { startServer, ServerConfigError, type RunningServer } from '../../server/index.js';
import { UsageError } from '../errors.js';

export interface ServeOptions {
  readonly db: string;
  readonly port?: string;
  readonly host?: string;
  readonly log?: boolean;
  readonly maxUploadMb?: string;
  readonly now?: string;
}

function positiveInt(value: string | undefined, what: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`${what} must be a whole number from 0 to ${max} (got "${value}")`);
  return n;
}

/** How the console's address is announced: with the token only when the user could not know it. */
export function announce(server: RunningServer, write: (s: string) => void): void {
  if (server.tokenSource === 'generated') {
    write(`Generated an API token and stored it in ${server.tokenFile} (readable by you only); it is shown this once.\n`);
    write(`chainhunt console: ${server.url}#token=${server.token}\n`);
  } else if (server.tokenSource === 'ephemeral') {
    write(`chainhunt console: ${server.url}#token=${server.token}\n`);
  } else {
    write(`chainhunt console: ${server.url}\n`);
    write(server.tokenSource === 'env' ? 'API token: the value of CHAINHUNT_TOKEN.\n' : `API token: in ${server.tokenFile}\n`);
  }
  write(`API: ${server.url}api (OpenAPI description at ${server.url}api/openapi.json). Ctrl-C stops.\n`);
}

/** Serves until SIGINT/SIGTERM, then closes the server and the database cleanly. */
export async function serveUntilStopped(server: RunningServer): Promise<void> {
  await new Promise<void>(resolve => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write('stopping\n');
  await server.close();
}

export async function runServeCommand(options: ServeOptions): Promise<number> {
  const port = positiveInt(options.port, '--port', 65535) ?? 8080;
  const uploadMb = positiveInt(options.maxUploadMb, '--max-upload-mb', 1024 * 1024);
  const now = options.now === undefined ? undefined : new Date(options.now);
  if (now && Number.isNaN(now.getTime())) throw new UsageError(`--now ${options.now} is not a date (use ISO-8601, e.g. 2026-03-10T12:00:00Z)`);
  let server: RunningServer;
  try {
    server = await startServer({
      dbPath: options.db,
      port,
      host: options.host,
      logger: options.log,
      now,
      limits: uploadMb === undefined ? undefined : { uploadBytes: uploadMb * 1024 * 1024 },
    });
  } catch (e) {
    if (e instanceof ServerConfigError) throw new UsageError(e.message);
    throw e;
  }
  announce(server, s => process.stdout.write(s));
  await serveUntilStopped(server);
  return 0;
}
