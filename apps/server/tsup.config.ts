// The library entry (dist/index.*) as every package builds it; the zkvote-server bin is built
// after it by tsup.bin.config.ts (see the build script), bundled for a faster, smaller process.
export { libraryConfig as default } from '../../tsup.base.js';
