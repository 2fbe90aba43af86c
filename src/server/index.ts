// `chainhunt serve`: the API and the console on one port, over a database file.
import { Engine } from '../engine.js';
import { warmUp } from '../kql/warm.js';
import { buildApp, type AppOptions } from './app.js';
import { isLoopback, resolveToken, type ResolvedToken } from './auth.js';

export interface ServerOptions extends Omit<AppOptions, 'engine' | 'token'> {
  readonly dbPath?: string;
  /** An engine already open (tests, demo); otherwise the server opens dbPath. */
  readonly engine?: Engine;
  readonly port?: number;
  readonly host?: string;
  /** The API token; default: CHAINHUNT_TOKEN, else the stored one, else a new stored one. */
  readonly token?: string;
}

export interface RunningServer {
  /** The console's address (without the token). */
  readonly url: string;
  readonly token: string;
  readonly tokenSource: ResolvedToken['source'];
  readonly tokenFile?: string;
  close(): Promise<void>;
}

export class ServerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerConfigError';
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const explicit = options.token ?? (process.env.CHAINHUNT_TOKEN || undefined);
  // Off loopback, anyone on the network can reach the port: only a token the operator chose will do.
  if (!isLoopback(host) && !explicit) {
    throw new ServerConfigError(`refusing to listen on ${host} (not loopback) without a token: set CHAINHUNT_TOKEN to a secret of at least 16 characters`);
  }
  const resolved: ResolvedToken = options.token ? { token: options.token, source: 'ephemeral' } : resolveToken();
  const engine = options.engine ?? await Engine.open({ path: options.dbPath });
  // The parser's one-time initialisation, before the first analyst waits on it (free in the snapshot build).
  warmUp();
  const app = await buildApp({ ...options, engine, token: resolved.token });
  try {
    await app.listen({ port: options.port ?? 8080, host });
  } catch (e) {
    await app.close();
    if (!options.engine) engine.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new ServerConfigError(`port ${options.port ?? 8080} on ${host} is in use: choose another with --port`);
    if (err.code === 'EACCES') throw new ServerConfigError(`no permission to listen on port ${options.port ?? 8080} (ports below 1024 need privileges): choose another with --port`);
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 8080;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${port}/`,
    token: resolved.token,
    tokenSource: resolved.source,
    tokenFile: resolved.file,
    close: async () => {
      await app.close();
      if (!options.engine) engine.close();
    },
  };
}
