// The console: React + Vite, built into dist/web and served by `chainhunt serve`.
// `npm run build:web` builds it; `npx vite --config web/vite.config.ts` serves it in development
// with /api proxied to a running `chainhunt serve` (CHAINHUNT_API, default http://127.0.0.1:8080).
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Bridge.NET's runtime (loaded by the Kusto worker) finds the global object as `this` (undefined in
 * an ES module) or Node's `global`; hand it `globalThis` and keep it off the CommonJS path.
 */
function bridgeGlobal(): Plugin {
  return {
    name: 'chainhunt-bridge-global',
    transform(code, id) {
      if (!/@kusto[\\/]language-service[\\/]bridge(\.min)?\.js$/.test(id)) return null;
      const out = code
        .replace('typeof module!="undefined"&&module.exports&&(n=global)', 'void 0')
        .replace(/\}\)\(this\);?(\s*)$/, '})(globalThis);$1');
      return { code: out, map: null };
    },
  };
}

export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react(), bridgeGlobal()],
  worker: { format: 'es', plugins: () => [bridgeGlobal()] },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': { target: process.env.CHAINHUNT_API ?? 'http://127.0.0.1:8080', changeOrigin: true } },
  },
});
