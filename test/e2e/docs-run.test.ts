/**
 * Every command block of README.md and docs/*.md (a ```sh fence) runs as a reader would run it: in
 * order, in bash, with `hss` on PATH being the built CLI, against a fresh sandbox of the document's own,
 * in a throw-away home folder and working folder shared by the blocks of one document. Every command of
 * a block runs, as when pasted into a terminal, and each must succeed (a pipeline: each part of it),
 * unless a marker says otherwise.
 *
 * Markers are HTML comments on the line before the block, unseen where the markdown is rendered:
 *
 *   <!-- docs-test: skip (why it cannot run here) -->   not run: it runs forever, installs, needs a
 *                                                        real account or a vault, …
 *   <!-- docs-test: exit N -->                          runs; its first command that fails must exit N
 *   <!-- docs-test: file NAME -->                       not run: written to NAME (executable), for the
 *                                                        blocks after it to run
 *   <!-- docs-test: sandbox -->                         one `hss sandbox …` line: started in the
 *                                                        background, as given but on a free port, and
 *                                                        stopped at the end of the document
 *
 * Before its first block, each document gets what the README's tour begins with: a sandbox started by
 * `hss sandbox --port 0 --save-profile sandbox`, so profile `sandbox` is there and current. The
 * variables the docs take from the reader's environment hold the sandbox's identities: TOKEN, AK, SK,
 * PASSWORD, HSS_PASSWORD, and TASK (task-0001). A sandbox started by a block runs on a free port, not
 * the one the block names: the blocks after it reach it at the port they name, which is rewritten.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_ACCESS_KEY,
  SANDBOX_PASSWORD,
  SANDBOX_SECRET_KEY,
  SANDBOX_TOKEN,
} from '../../src/sandbox/constants.js';
import { BIN, ROOT, TEST_COMPILE_CACHE, tempDir } from '../helpers/cli.js';

type Marker =
  | { kind: 'run' }
  | { kind: 'skip'; reason: string }
  | { kind: 'exit'; code: number }
  | { kind: 'file'; name: string }
  | { kind: 'sandbox' };

interface Block {
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  marker: Marker;
}

const COMMAND_FENCE = /^\s*```(sh|bash|shell|console|zsh)\s*$/;
const ANY_FENCE = /^\s*```(\S*)\s*$/;

function parseMarker(text: string, where: string): Marker {
  const m = /^(skip|exit|file|sandbox)\b\s*(.*)$/.exec(text);
  const arg = m?.[2]?.trim() ?? '';
  if (m?.[1] === 'skip' && /^\(.+\)$/.test(arg)) return { kind: 'skip', reason: arg.slice(1, -1) };
  if (m?.[1] === 'exit' && /^\d+$/.test(arg)) return { kind: 'exit', code: Number(arg) };
  if (m?.[1] === 'file' && /^[\w.-]+$/.test(arg)) return { kind: 'file', name: arg };
  if (m?.[1] === 'sandbox' && arg === '') return { kind: 'sandbox' };
  throw new Error(`${where}: unknown docs-test marker "${text}"`);
}

/** The command blocks of a markdown file, each with the marker before it. */
function commandBlocks(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = ANY_FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? '')) end++;
    if (COMMAND_FENCE.test(lines[i] ?? '')) {
      let before = i - 1;
      while (before >= 0 && (lines[before] ?? '').trim() === '') before--;
      const comment = /^\s*<!--\s*docs-test:\s*(.*?)\s*-->\s*$/.exec(lines[before] ?? '');
      blocks.push({
        line: i + 1,
        code: lines.slice(i + 1, end).join('\n'),
        marker:
          comment?.[1] !== undefined ? parseMarker(comment[1], `${file}:${before + 1}`) : { kind: 'run' },
      });
    }
    i = end;
  }
  return blocks;
}

const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

const sandboxes: ChildProcess[] = [];
afterEach(() => {
  for (const child of sandboxes.splice(0)) child.kill('SIGKILL');
});

/** A reader's environment: `hss` on PATH, a home of its own, the sandbox's identities as their secrets. */
function readerEnv(home: string, bin: string): Record<string, string> {
  return {
    PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    HOME: home,
    LANG: 'C.UTF-8',
    HSS_COMPILE_CACHE: TEST_COMPILE_CACHE,
    TOKEN: SANDBOX_TOKEN,
    AK: SANDBOX_ACCESS_KEY,
    SK: SANDBOX_SECRET_KEY,
    PASSWORD: SANDBOX_PASSWORD,
    HSS_PASSWORD: SANDBOX_PASSWORD,
    TASK: 'task-0001',
  };
}

/** Starts `hss sandbox <args>` on a free port in the background; resolves with its port once it listens. */
async function startSandbox(args: string[], env: Record<string, string>, cwd: string): Promise<number> {
  const withoutPort: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--port') i++;
    else if (!args[i]?.startsWith('--port=')) withoutPort.push(args[i] ?? '');
  }
  const child = spawn(process.execPath, [BIN, ...withoutPort, '--port', '0'], {
    env,
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  sandboxes.push(child);
  let output = '';
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const url = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (url) {
        clearTimeout(timer);
        resolve(Number(url[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox ended (exit ${code}):\n${output}`));
    });
  });
}

describe('the README sets up with the commands every contributor knows', () => {
  it('npm ci && npm run demo, and npm test', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/^npm ci && npm run demo\b/m);
    expect(readme).toMatch(/^npm test\b/m);
  });
});

describe('every command block of the docs runs as written', () => {
  it.each(DOCS.filter((doc) => commandBlocks(doc, readFileSync(path.join(ROOT, doc), 'utf8')).length > 0))(
    '%s',
    { timeout: 300_000 },
    async (doc) => {
      const blocks = commandBlocks(doc, readFileSync(path.join(ROOT, doc), 'utf8'));
      const root = tempDir('hss-docs-');
      const home = path.join(root, 'home');
      const work = path.join(root, 'work');
      const bin = path.join(root, 'bin');
      for (const dir of [home, work, bin]) mkdirSync(dir);
      writeFileSync(path.join(bin, 'hss'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
      chmodSync(path.join(bin, 'hss'), 0o755);
      const env = readerEnv(home, bin);
      await startSandbox(['sandbox', '--save-profile', 'sandbox'], env, work);

      const ports = new Map<string, string>();
      const withPorts = (code: string) =>
        code.replace(/\b(127\.0\.0\.1|localhost):(\d+)\b/g, (all, host: string, port: string) => {
          const actual = ports.get(port);
          return actual ? `${host}:${actual}` : all;
        });

      for (const [n, block] of blocks.entries()) {
        const where = `${doc}:${block.line} (block ${n + 1})`;
        const { marker } = block;
        if (marker.kind === 'skip') continue;
        if (marker.kind === 'file') {
          writeFileSync(path.join(work, marker.name), `${block.code}\n`);
          chmodSync(path.join(work, marker.name), 0o755);
          continue;
        }
        if (marker.kind === 'sandbox') {
          const words = block.code.trim().replace(/\s*&$/, '').split(/\s+/);
          expect(words.slice(0, 2), `${where}: a sandbox block is one \`hss sandbox …\` line`).toEqual([
            'hss',
            'sandbox',
          ]);
          expect(block.code.trim().split('\n'), `${where}: a sandbox block is one line`).toHaveLength(1);
          const at = words.indexOf('--port');
          const port = await startSandbox(words.slice(1), env, work);
          const named = at === -1 ? '8443' : words[at + 1];
          if (named && named !== '0') ports.set(named, String(port));
          continue;
        }
        const script = path.join(root, `block-${n + 1}.sh`);
        // Every command runs, as when pasted into a terminal; the first that fails gives the block's exit.
        writeFileSync(
          script,
          [
            'set -o pipefail',
            'docs_test_exit=0',
            `trap 's=$?; echo "docs-test: line $((LINENO - 3)) of the block exited $s: $BASH_COMMAND" >&2; if [ "$docs_test_exit" = 0 ]; then docs_test_exit=$s; fi' ERR`,
            withPorts(block.code),
            'exit "$docs_test_exit"',
            '',
          ].join('\n'),
        );
        const r = await execa('bash', ['--noprofile', '--norc', script], {
          cwd: work,
          env,
          extendEnv: false,
          reject: false,
          stdin: 'ignore',
          timeout: 60_000,
          all: true,
        });
        const expected = marker.kind === 'exit' ? marker.code : 0;
        expect(
          r.exitCode,
          `${where} ended with exit ${r.exitCode}${r.timedOut ? ' (timed out)' : ''}, expected ${expected}:\n` +
            `${block.code}\n--- output ---\n${String(r.all).slice(-4000)}`,
        ).toBe(expected);
      }
    },
  );
});

describe('the block reader', () => {
  it('finds command blocks, their markers and nothing else', () => {
    const text = [
      '# t',
      '```sh',
      'hss a',
      '```',
      '',
      '<!-- docs-test: skip (runs forever) -->',
      '',
      '```sh',
      'hss sandbox',
      '```',
      '```',
      'not a command',
      '```',
      '  ```json',
      '  {"a": 1}',
      '  ```',
      '<!-- docs-test: exit 7 -->',
      '```bash',
      'hss task wait t',
      '```',
      '<!-- docs-test: file x.sh -->',
      '```sh',
      'echo hi',
      '```',
    ].join('\n');
    expect(commandBlocks('t.md', text)).toEqual([
      { line: 2, code: 'hss a', marker: { kind: 'run' } },
      { line: 8, code: 'hss sandbox', marker: { kind: 'skip', reason: 'runs forever' } },
      { line: 18, code: 'hss task wait t', marker: { kind: 'exit', code: 7 } },
      { line: 22, code: 'echo hi', marker: { kind: 'file', name: 'x.sh' } },
    ]);
  });

  it('refuses a marker it does not know, and a skip without a reason', () => {
    expect(() => commandBlocks('t.md', '<!-- docs-test: skipp -->\n```sh\nx\n```')).toThrow(
      /unknown docs-test marker/,
    );
    expect(() => commandBlocks('t.md', '<!-- docs-test: skip -->\n```sh\nx\n```')).toThrow(
      /unknown docs-test marker/,
    );
  });
});
