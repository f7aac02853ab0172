import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The console's single-page app → dist/web, which the console's server serves (src/server). */
export default defineConfig({
  root: here('./src/web'),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  resolve: {
    alias: { '@hookstream/client': here('../../libs/client/src/index.ts') },
  },
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    // No inline scripts and no data: URLs for scripts: the CSP allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // Mantine marks its modules "use client" for React Server Components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
