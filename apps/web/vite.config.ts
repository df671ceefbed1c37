import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const root = __dirname;

/**
 * GOV.UK Frontend's CSS points at the GDS Transport font, which is licensed for
 * GOV.UK services only; a university service drops the @font-face rules and falls
 * back to the stack's Arial.
 */
const dropFontFaces = { postcssPlugin: 'drop-font-faces', AtRule: { 'font-face': (rule: { remove(): void }) => rule.remove() } };

/** In development the API runs on its own port (npm start); Vite proxies /api to it. */
const apiTarget = `http://localhost:${process.env.API_PORT ?? '3000'}`;

export default defineConfig({
  root,
  base: '/',
  // libs/domain's pure modules (labels, enums, schemas), one module at a time: its index
  // also exports Node-only code (audit hashing, list files).
  resolve: { alias: [{ find: /^@app\/domain\/(.*)$/, replacement: resolve(root, '../../libs/domain/src/$1') }] },
  // govuk-frontend keeps old IE @media hacks that lightningcss refuses; recovery drops them.
  css: { postcss: { plugins: [dropFontFaces] }, lightningcss: { errorRecovery: true } },
  // React's automatic JSX runtime without @vitejs/plugin-react (its babel peer clashes with jest's).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(root, '../../dist/web'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // react-router marks its modules "use client" for server-component bundlers; meaningless in an SPA.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { port: Number(process.env.WEB_PORT ?? 5173), proxy: { '/api': apiTarget, '/health': apiTarget } },
  plugins: [] as Plugin[],
});
