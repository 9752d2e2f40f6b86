import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { defineCommand, value } from '../../src/commands/define.js';
import { helpText } from '../../src/commands/help/index.js';
import { COMMANDS } from '../../src/commands/registry.js';
import {
  ApiError,
  AuthError,
  ConfigError,
  type HssError,
  InterruptedError,
  RequestTimeoutError,
  UnavailableError,
  UsageError,
  WaitFailedError,
  WaitTimeoutError,
} from '../../src/core/errors.js';
import { allCommands, commandTree } from '../../src/help/command-tree.js';
import { commandsMarkdown, generatedDocs } from '../../src/help/docs.js';
import { ENVIRONMENT, EXIT_CODES, HELP_TOPICS } from '../../src/help/reference.js';
import { ROOT } from '../helpers/cli.js';

const program = () => buildProgram(async () => {});

describe('generated docs', () => {
  for (const [file, content] of Object.entries(generatedDocs(program()))) {
    it(`${file} is what the code generates`, () => {
      const committed = readFileSync(path.join(ROOT, file), 'utf8');
      // A plain equality check: the diff vitest prints shows what changed.
      expect(committed, `${file} is out of date: run \`npm run docs\` and commit the result`).toBe(content);
    });
  }

  it('commands.md follows the tree: a new command, option or example shows up in it', () => {
    const before = commandsMarkdown(program());
    const frobnicate = {
      spec: defineCommand({
        name: 'frobnicate',
        description: 'a command that does not exist',
        options: [value('--level <n>', 'how much', { defaultValue: '3' })],
        examples: ['hss frobnicate --level 4'],
      }),
      load: () => Promise.reject(new Error('not run')),
    };
    const changed = buildProgram(async () => {}, [...COMMANDS, frobnicate]);
    const after = commandsMarkdown(changed);
    expect(after).not.toBe(before);
    expect(after).toContain('## hss frobnicate');
    expect(after).toContain('| `--level <n>` | how much (default `3`) |');
    expect(after).toContain('```sh\nhss frobnicate --level 4\n```');
  });

  it('every command, its arguments and options appear in commands.md', () => {
    const markdown = commandsMarkdown(program());
    for (const command of allCommands(commandTree(program())).slice(1)) {
      expect(markdown).toContain(`## hss ${command.path.join(' ')}\n`);
      for (const option of command.options)
        expect(markdown).toContain(`\`${option.flags.replace(/\|/g, '\\|')}\``);
      for (const arg of command.arguments) expect(markdown).toContain(arg.name);
    }
  });

  it('every command has examples in its help', () => {
    const missing = allCommands(commandTree(program()))
      .filter((c) => c.examples.length === 0)
      .map((c) => ['hss', ...c.path].join(' '));
    expect(missing).toEqual([]);
  });

  it('the docs folder has an index that links every file in it', () => {
    const dir = path.join(ROOT, 'docs');
    const index = readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const name of readdirSync(dir)) {
      if (name === 'README.md' || !statSync(path.join(dir, name)).isFile()) continue;
      expect(index, `docs/README.md should link ${name}`).toContain(`](${name})`);
    }
  });
});

describe('reference data', () => {
  const errors: HssError[] = [
    new UsageError('x'),
    new ConfigError('x'),
    new AuthError('x'),
    new ApiError('x'),
    new UnavailableError('x'),
    new RequestTimeoutError('x'),
    new WaitFailedError('x'),
    new WaitTimeoutError('x'),
    new InterruptedError('SIGINT'),
    new InterruptedError('SIGTERM'),
  ];

  it('every error class has its exit code and code string in the exit-code table', () => {
    for (const error of errors) {
      const entry = EXIT_CODES.find((e) => e.code === error.exitCode);
      expect(entry, `exit code ${error.exitCode}`).toBeDefined();
      expect(entry?.errors).toContain(error.code);
    }
  });

  it('hss --help names every help topic', () => {
    const after = helpText(program());
    for (const topic of HELP_TOPICS) expect(after).toContain(`hss help ${topic.name}`);
  });

  it('the exit-code table has exactly the codes of the contract, each with an example', () => {
    expect(EXIT_CODES.map((e) => e.code)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 130, 143]);
    for (const entry of EXIT_CODES) expect(entry.examples.length).toBeGreaterThan(0);
  });

  it('every environment variable the code reads is documented', () => {
    const documented = new Set(ENVIRONMENT.flatMap((g) => g.entries.flatMap((e) => e.names)));
    // Read by code no command uses yet, or folded into another entry's text.
    const exceptions = new Set([
      'APPDATA', // under XDG_CONFIG_HOME: "%APPDATA% on Windows"
      'HUAWEICLOUD_SDK_CREDENTIALS_FILE', // src/auth/credentials-file.ts, not wired to a command yet
    ]);
    const read = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) {
          if (name !== 'sandbox') walk(file);
        } else if (name.endsWith('.ts')) {
          const text = readFileSync(file, 'utf8');
          for (const m of text.matchAll(/env\[['"]([A-Z_][A-Z0-9_]*)['"]\]/g)) read.add(m[1] ?? '');
          for (const m of text.matchAll(/['"]((?:HSS|HUAWEICLOUD_SDK)_[A-Z0-9_]+)['"]/g))
            read.add(m[1] ?? '');
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(read.size).toBeGreaterThan(10);
    const undocumented = [...read].filter((name) => !documented.has(name) && !exceptions.has(name));
    expect(undocumented).toEqual([]);
  });
});
