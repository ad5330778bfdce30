// dist/bin.js (and bin.cjs), the zkvote-server command, as one self-contained file with the
// @zkvote packages, pino and prom-client inside. Measured on Node 20: loading pino (CommonJS)
// from an ES module instantiates node's cjs-module-lexer and resolves ~40 package files; the
// bundle starts with ~30-40 ms less CPU and ~4 MiB less RSS per process. prom-client's code is
// only evaluated when metrics are configured (server.ts imports metrics.js dynamically, which the
// bundle keeps as a lazy initializer). Built together with the library by tsup.config.ts.
import { defineConfig, type Options } from 'tsup';

const binConfig: Options = {
  entry: { bin: 'src/bin.ts' },
  format: ['esm', 'cjs'],
  target: 'node20',
  sourcemap: true,
  clean: false,
  // One file per format: no chunks the library build's clean could remove meanwhile.
  splitting: false,
  noExternal: [/./],
  // Bundled CommonJS (pino, prom-client) calls require(); give the ES module build a real one.
  banner: ({ format }) =>
    format === 'esm' ? { js: "import { createRequire as __zkvoteCreateRequire } from 'node:module';\nconst require = __zkvoteCreateRequire(import.meta.url);" } : {},
};

export default defineConfig(binConfig);
