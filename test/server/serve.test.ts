// Starting the server: where the token comes from, how it is kept, and which binds are refused.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveToken, isLoopback, TOKEN_FILE } from '../../src/server/auth.js';
import { startServer } from '../../src/server/index.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'chainhunt-serve-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the API token', () => {
  it('is generated once, stored with 0600 permissions, then read back', () => {
    const dir = join(tempDir(), 'data');
    const first = resolveToken({ CHAINHUNT_DATA_DIR: dir });
    expect(first.source).toBe('generated');
    expect(first.token.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, TOKEN_FILE)).mode & 0o777).toBe(0o600);
    const second = resolveToken({ CHAINHUNT_DATA_DIR: dir });
    expect([second.source, second.token]).toEqual(['file', first.token]);
  });

  it('comes from CHAINHUNT_TOKEN when set, and must not be trivially short', () => {
    expect(resolveToken({ CHAINHUNT_TOKEN: 'a-long-enough-secret', CHAINHUNT_DATA_DIR: tempDir() })).toEqual({ token: 'a-long-enough-secret', source: 'env' });
    expect(() => resolveToken({ CHAINHUNT_TOKEN: 'short' })).toThrow('CHAINHUNT_TOKEN: the API token must be at least 16 characters');
  });

  it('refuses a token file that others can read', () => {
    const dir = tempDir();
    const file = join(dir, TOKEN_FILE);
    writeFileSync(file, 'x'.repeat(40));
    chmodSync(file, 0o644);
    expect(() => resolveToken({ CHAINHUNT_DATA_DIR: dir })).toThrow(`${file}: permissions 0644 are too open; the token file must be readable by its owner only (chmod 600 ${file})`);
  });
});

describe('startServer', () => {
  it('knows loopback addresses', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'].map(isLoopback)).toEqual([true, true, true, true, true]);
    expect(['0.0.0.0', '10.1.2.3', '::', 'example.com'].map(isLoopback)).toEqual([false, false, false, false]);
  });

  it('refuses a non-loopback bind without a token', async () => {
    const saved = process.env.CHAINHUNT_TOKEN;
    delete process.env.CHAINHUNT_TOKEN;
    try {
      await expect(startServer({ host: '0.0.0.0', port: 0 })).rejects.toThrow('refusing to listen on 0.0.0.0 (not loopback) without a token: set CHAINHUNT_TOKEN to a secret of at least 16 characters');
    } finally {
      if (saved !== undefined) process.env.CHAINHUNT_TOKEN = saved;
    }
  });

  it('serves the API over HTTP on an in-memory database', async () => {
    const token = 'serve-test-token-0123456789';
    const server = await startServer({ port: 0, token, webRoot: join(tempDir(), 'none') });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const r = await fetch(`${server.url}api/query`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'print n = 41 + 1' }) });
      expect(((await r.json()) as { rows: unknown }).rows).toEqual([[42]]);
      const page = await fetch(server.url);
      expect(await page.text()).toMatch(/the console is not built/);
    } finally {
      await server.close();
    }
  });

  it('serves the built console, and its index page for console routes', async () => {
    const web = tempDir();
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>chainhunt</title><div id="root"></div>');
    writeFileSync(join(web, 'app.js'), 'console.log(1)');
    const server = await startServer({ port: 0, token: 'serve-test-token-0123456789', webRoot: web });
    try {
      expect(await (await fetch(server.url)).text()).toBe(readFileSync(join(web, 'index.html'), 'utf8'));
      expect(await (await fetch(`${server.url}incidents/abc`)).text()).toBe(readFileSync(join(web, 'index.html'), 'utf8'));
      expect(await (await fetch(`${server.url}app.js`)).text()).toBe('console.log(1)');
      const api = await fetch(`${server.url}api/nothing`, { headers: { authorization: 'Bearer serve-test-token-0123456789' } });
      expect(api.status).toBe(404);
      expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
    } finally {
      await server.close();
    }
  });
});
