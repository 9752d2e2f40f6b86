#!/usr/bin/env node
// The installed entry point: load the bundled CLI, run it, and set the exit code (never process.exit,
// so piped stdout is always flushed).
import module from 'node:module';

module.enableCompileCache?.();

const { run } = await import('../dist/hss.js');
process.exitCode = await run(process.argv.slice(2));
