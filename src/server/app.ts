// The HTTP server: Fastify with the API under /api (described at /api/openapi.json), bearer-token
// authentication, JSON errors, and the console's built files at /.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import multipart from '@fastify/multipart';
import staticFiles from '@fastify/static';
import type { Engine } from '../engine.js';
import { packageRoot, packageVersion } from '../util/package-root.js';
import { rulesDir as defaultRulesDir } from '../detect/rules.js';
import { toJson } from '../util/json.js';
import { installAuth } from './auth.js';
import { DEFAULT_SERVER_LIMITS, Mutex, type ServerContext, type ServerLimits } from './context.js';
import { installErrorHandlers } from './errors.js';
import { DEFAULT_QUERY_LIMITS, QueryRunner, type QueryLimits } from './query-runner.js';
import { registerAlertRoutes } from './routes/alerts.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerHuntingRoutes } from './routes/hunting.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerIngestRoutes } from './routes/ingest.js';
import { registerQueryRoutes } from './routes/query.js';
import { registerRuleRoutes } from './routes/rules.js';
import { registerSchemaRoutes } from './routes/schema.js';

export interface AppOptions {
  readonly engine: Engine;
  readonly dbPath?: string;
  readonly token: string;
  /** The console's built files (default dist/web in the package); absent: the API alone. */
  readonly webRoot?: string;
  readonly rulesDir?: string;
  readonly limits?: Partial<ServerLimits>;
  readonly queryLimits?: Partial<QueryLimits>;
  /** The instant now() and ago() refer to in queries (replayed or demo data); default: the clock. */
  readonly now?: Date;
  /** Fastify's request log (off by default; the CLI turns it on with --log). */
  readonly logger?: boolean;
}

export const PUBLIC_API_PATHS = ['/api/health', '/api/openapi.json'];

export function defaultWebRoot(): string {
  return join(packageRoot(), 'dist', 'web');
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: limits.jsonBodyBytes, return503OnClosing: true });
  const writes = new Mutex();
  const withSession = async <T>(fn: (s: Engine) => Promise<T>): Promise<T> => {
    const session = await options.engine.session();
    try {
      return await fn(session);
    } finally {
      session.close();
    }
  };
  const ctx: ServerContext = {
    engine: options.engine,
    dbPath: options.dbPath,
    runner: new QueryRunner(options.engine, { ...DEFAULT_QUERY_LIMITS, ...options.queryLimits }, options.now),
    now: options.now,
    limits,
    rulesDir: options.rulesDir ?? defaultRulesDir(),
    withSession,
    exclusive: fn => writes.run(() => withSession(fn)),
  };

  // Longs are bigints: written as exact JSON numbers, as the CLI writes them.
  app.setReplySerializer(payload => toJson(payload));
  const webRoot = options.webRoot ?? defaultWebRoot();
  const hasConsole = existsSync(join(webRoot, 'index.html'));
  installErrorHandlers(app, hasConsole);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'chainhunt API',
        version: packageVersion(),
        description: 'Advanced hunting (KQL), incidents, alerts, detection rules, ingestion and the response-action log of a chainhunt database.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'CHAINHUNT_TOKEN, or the token `chainhunt serve` generated and stored' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(multipart, { limits: { fileSize: limits.uploadBytes, files: 100, fields: 20 }, throwFileSizeLimit: true });
  installAuth(app, options.token, PUBLIC_API_PATHS);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerHealthRoutes(app);
  registerSchemaRoutes(app, ctx);
  registerQueryRoutes(app, ctx);
  registerHuntingRoutes(app, ctx);
  registerIncidentRoutes(app, ctx);
  registerAlertRoutes(app, ctx);
  registerRuleRoutes(app, ctx);
  registerIngestRoutes(app, ctx);

  if (hasConsole) {
    // The console's files; its own routes (/incidents/...) get its index page (see installErrorHandlers).
    // wildcard: files are looked up per request, so a rebuilt console is served without a restart;
    // preCompressed: the build's .br/.gz siblings go out to browsers that accept them.
    await app.register(staticFiles, { root: webRoot, prefix: '/', wildcard: true, preCompressed: true });
  } else {
    app.get('/', async (_request, reply) => reply.type('text/plain').send(`chainhunt API ${packageVersion()}: the console is not built (npm run build); the API is at /api (see /api/openapi.json).\n`));
  }
  return app;
}
