/**
 * Runs a command in this process, through main(argv, io) as the bin shim does, with buffered streams,
 * a throw-away config folder and a clean environment: the fast way to test a handler's behaviour (its
 * output, its exit code, the requests it sends to a sandbox). test/e2e/ keeps the cases that must be
 * seen through the built CLI (the contract, start-up, terminals, signals, files).
 */
import { main } from '../../src/cli/main.js';
import type { InStream, Io, OutStream } from '../../src/core/io.js';
import { tempDir } from './cli.js';

export interface InProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  configDir: string;
}

export interface InProcessOptions {
  env?: Record<string, string | undefined>;
  /** Standard input, a pipe. */
  input?: string;
  configDir?: string;
  now?: () => number;
}

function sink(): OutStream & { text: string } {
  const stream = {
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

function stdin(input: string): InStream {
  return {
    isTTY: false,
    async *[Symbol.asyncIterator]() {
      if (input !== '') yield Buffer.from(input);
    },
  };
}

export async function hssInProcess(args: string[], options: InProcessOptions = {}): Promise<InProcessResult> {
  const configDir = options.configDir ?? tempDir();
  const env: Record<string, string | undefined> = { HOME: configDir, HSS_CONFIG_DIR: configDir };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const out = sink();
  const err = sink();
  const io: Io = {
    env,
    stdin: stdin(options.input ?? ''),
    stdout: out,
    stderr: err,
    homeDir: configDir,
    platform: process.platform,
    now: options.now ?? (() => Date.now()),
    signal: new AbortController().signal,
  };
  const exitCode = await main(args, io);
  return { exitCode, stdout: out.text, stderr: err.text, configDir };
}
