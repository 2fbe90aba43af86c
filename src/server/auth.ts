// Bearer-token authentication for the API. The token comes from CHAINHUNT_TOKEN, or is generated on
// the first start and kept in the data folder (0600) so the console's bookmark keeps working.
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';

export interface ResolvedToken {
  readonly token: string;
  /** Where it came from: the environment, the token file, or generated now (and stored there). */
  readonly source: 'env' | 'file' | 'generated' | 'ephemeral';
  readonly file?: string;
}

/** chainhunt's data folder: $CHAINHUNT_DATA_DIR, else $XDG_DATA_HOME/chainhunt, else ~/.local/share/chainhunt. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CHAINHUNT_DATA_DIR) return env.CHAINHUNT_DATA_DIR;
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'chainhunt');
}

export const TOKEN_FILE = 'server-token';
const MIN_TOKEN_LENGTH = 16;

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

function checkToken(token: string, where: string): string {
  const t = token.trim();
  if (t.length < MIN_TOKEN_LENGTH) throw new Error(`${where}: the API token must be at least ${MIN_TOKEN_LENGTH} characters`);
  return t;
}

/**
 * The API token: CHAINHUNT_TOKEN if set; else the stored one; else a new one written with 0600
 * permissions. A stored token readable by other users is refused, as ssh refuses such keys.
 */
export function resolveToken(env: NodeJS.ProcessEnv = process.env): ResolvedToken {
  if (env.CHAINHUNT_TOKEN !== undefined && env.CHAINHUNT_TOKEN !== '') return { token: checkToken(env.CHAINHUNT_TOKEN, 'CHAINHUNT_TOKEN'), source: 'env' };
  const dir = dataDir(env);
  const file = join(dir, TOKEN_FILE);
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new Error(`${file}: permissions ${mode.toString(8).padStart(4, '0')} are too open; the token file must be readable by its owner only (chmod 600 ${file})`);
    }
    return { token: checkToken(readFileSync(file, 'utf8'), file), source: 'file', file };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const token = generateToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { token, source: 'generated', file };
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Requires `Authorization: Bearer <token>` on every /api route but the public ones. */
export function installAuth(app: FastifyInstance, token: string, publicPaths: readonly string[]): void {
  const expected = digest(token);
  const open = new Set(publicPaths);
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (!path.startsWith('/api/') || open.has(path)) return;
    void reply.header('WWW-Authenticate', 'Bearer realm="chainhunt"');
    const header = request.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new ApiError(401, 'unauthorized', 'missing bearer token: send "Authorization: Bearer <token>"');
    // Compare digests in constant time, so the token's length and prefix do not leak through timing.
    if (!timingSafeEqual(digest(m[1]!), expected)) throw new ApiError(401, 'unauthorized', 'wrong bearer token');
  });
}
