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
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
