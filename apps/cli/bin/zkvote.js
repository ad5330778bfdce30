#!/usr/bin/env node
// Installed command: runs the built entry (dist/ is produced by `pnpm build`, after install).
import '../dist/bin.js';
