#!/usr/bin/env node
// The `event-monitor` command: runs the TypeScript sources through tsx. The CLI's tsconfig gives
// tsx the repository's path mappings (@event-monitor/client), whatever the working directory.
import { fileURLToPath } from 'node:url';

process.env.TSX_TSCONFIG_PATH ??= fileURLToPath(new URL('../tsconfig.json', import.meta.url));
await import('tsx');
await import('../src/main.ts');
