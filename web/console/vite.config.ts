import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The operator console: React 19 + Ant Design, modern browsers only. JSX goes
// through Vite's own esbuild (no @vitejs/plugin-react, so no fast refresh).
export default defineConfig({
  root,
  base: '/console/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // Ant Design alone is ~1 MB minified; split it from React and the app so
    // an app change does not invalidate the cached UI kit.
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      // antd marks its modules "use client" (for React Server Components);
      // meaningless in a client bundle, and Rollup warns once per module.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('use client')) return;
        warn(warning);
      },
      output: {
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|scheduler)\//.test(id)) return 'react';
          return 'vendor';
        },
      },
    },
  },
  server: {
    // ws: the proctor console's live socket (/api/console/proctor/live).
    proxy: { '/api': { target: 'http://localhost:3000', ws: true } },
  },
});
