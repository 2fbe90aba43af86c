import type { FastifyInstance } from 'fastify';
import { packageVersion } from '../../util/package-root.js';

export function registerHealthRoutes(app: FastifyInstance): void {
  app.get('/api/health', {
    schema: { tags: ['meta'], summary: 'Liveness check (no token needed)', security: [] },
  }, async () => ({ status: 'ok', version: packageVersion() }));
}
