// One build shape for every package: ESM + CJS + .d.ts from src/index.ts, for Node 20.
// Apps add a bin entry; its declarations are not needed.
import { defineConfig, type Options } from 'tsup';

const common: Options = {
  format: ['esm', 'cjs'],
  clean: true,
  sourcemap: true,
  target: 'node20',
};

export const libraryConfig = defineConfig({ ...common, entry: ['src/index.ts'], dts: true });

export const appConfig = defineConfig({
  ...common,
  entry: ['src/index.ts', 'src/bin.ts'],
  dts: { entry: 'src/index.ts' },
});
