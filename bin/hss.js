#!/usr/bin/env node
// The installed entry point: load the bundled CLI, run it, and set the exit code (never process.exit,
// so piped stdout is always flushed).
//
// Every invocation runs this file, so it is CommonJS (bin/package.json): on Node 20 the ES module
// loader alone costs about a fifth of a bare `node -e 0`, and `hss --version` and `hss --help` are
// answered from here without it — the version from package.json, the help from dist/help.txt, which
// the build renders with commander from the same command tree. See docs/performance.md.
'use strict';

const argv = process.argv.slice(2);
const fs = require('node:fs');
const path = require('node:path');

/**
 * Writes text to stdout in one go, without creating process.stdout (a stream costs milliseconds to
 * set up). False when it cannot, leaving the rest to the normal path.
 */
function writeStdout(text) {
  const data = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < data.length) offset += fs.writeSync(1, data, offset);
    return true;
  } catch {
    if (offset > 0) process.stdout.write(data.subarray(offset));
    return offset > 0;
  }
}

/** The answer to a lone --version or --help, when it is the same as commander's; else undefined. */
function fastAnswer() {
  if (argv.length !== 1) return undefined;
  // With HSS_DEBUG the normal path adds what a bug report needs (Node version, platform) on stderr.
  const debug = process.env.HSS_DEBUG;
  if (debug && debug !== '0' && debug.toLowerCase() !== 'false') return undefined;
  const [arg] = argv;
  if (arg === '--version' || arg === '-V') {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    return `${pkg.version}\n`;
  }
  if (arg === '--help' || arg === '-h') {
    // On a terminal commander wraps the help to its width; dist/help.txt is the 80-column text
    // commander writes anywhere else (a pipe, a file).
    try {
      if (fs.fstatSync(1).isCharacterDevice()) return undefined;
      return fs.readFileSync(path.join(__dirname, '..', 'dist', 'help.txt'), 'utf8');
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function start() {
  const fast = fastAnswer();
  if (fast !== undefined && writeStdout(fast)) return;

  // Compiled code is cached on disk between runs (Node ≥ 22.1; a no-op before).
  require('node:module').enableCompileCache?.();

  // With --debug (or HSS_DEBUG), stack traces point at src/ through the bundle's source maps. Off
  // otherwise: reading the maps costs every module load.
  const end = argv.indexOf('--');
  const debugEnv = process.env.HSS_DEBUG;
  if (
    (end === -1 ? argv : argv.slice(0, end)).includes('--debug') ||
    (debugEnv !== undefined && debugEnv !== '' && debugEnv !== '0' && debugEnv.toLowerCase() !== 'false')
  ) {
    process.setSourceMapsEnabled(true);
  }

  import('../dist/hss.js').then(
    async ({ run }) => {
      // process.exit is handed over only for the signal paths, where leaving at once is the promise.
      process.exitCode = await run(argv, (code) => process.exit(code));
    },
    (error) => {
      process.stderr.write(
        `hss: cannot load dist/hss.js (${error.message}): run \`npm run build\` in a checkout, or reinstall hss-cli\n`,
      );
      process.exitCode = 1;
    },
  );
}

start();
