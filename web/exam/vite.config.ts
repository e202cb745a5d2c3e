import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The candidate's exam client. It must run on Chrome 75 (exam-room machines):
// the build lowers syntax to chrome75 and build.test.ts checks the output parses
// as ES2019 and stays small.
export default defineConfig({
  root,
  base: '/exam/',
  esbuild: {
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // Chrome 75 runs class fields, but the output is held to ES2019 (checked by
    // test/build.test.ts), so they are lowered to constructor assignments.
    supported: { 'class-field': false, 'class-static-field': false },
  },
  build: {
    target: 'chrome75',
    cssTarget: 'chrome75',
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Chrome 75 supports <link rel="modulepreload"> natively; no polyfill needed.
    modulePreload: { polyfill: false },
    sourcemap: false,
    rollupOptions: {
      output: {
        // The practical paper's chunks are loaded on demand: PracticalPane (its
        // views), editor (CodeMirror) and cm-* (language modes and what they
        // share), never by the theory paper. Named so that the build test and a
        // reader of dist/ can tell them apart.
        chunkFileNames(chunk) {
          const ids = chunk.moduleIds;
          const lib = ids.length > 0 && ids.every((id) => /node_modules[\\/](@codemirror|@lezer|@marijn|style-mod|w3c-keyname|crelt)[\\/]/.test(id));
          if (lib) {
            const m = /@codemirror[\\/](lang-[a-z]+)/.exec(chunk.facadeModuleId || '') || /(@codemirror|@lezer)[\\/]([a-z-]+)/.exec(ids[0] || '');
            return 'assets/cm-' + (m ? m[m.length - 1] : chunk.name) + '-[hash].js';
          }
          return 'assets/[name]-[hash].js';
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
