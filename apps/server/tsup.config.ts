// dist/index.* (the library, as every package builds it) and dist/bin.* (the zkvote-server command,
// see tsup.bin.config.ts) in one run. The library's clean spares bin.*: the bin build rewrites
// those files in place, so a process spawned from dist/bin.js during a rebuild finds it.
import { libraryConfig } from '../../tsup.base.js';
import binConfig from './tsup.bin.config.js';

export default [{ ...libraryConfig, clean: ['!bin.*'] }, binConfig];
