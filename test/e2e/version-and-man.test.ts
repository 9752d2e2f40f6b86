/**
 * `hss version` through the built CLI, and the man page hss(1) as `man` renders it (skipped where
 * there is no man). That man/hss.1 is what the code generates is checked with the other generated
 * docs (test/unit/docs.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { allCommands, commandTree } from '../../src/help/command-tree.js';
import { roffText } from '../../src/help/man.js';
import { hss, ROOT } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  man: string[];
  files: string[];
};
const PAGE = path.join(ROOT, 'man', 'hss.1');
const hasMan = spawnSync('man', ['--version']).status === 0;
const hasGroff = spawnSync('groff', ['--version']).status === 0;

describe('hss version', () => {
  it('text: version, node, platform, build', async () => {
    const r = await hss(['version']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      new RegExp(
        `^hss-cli   ${pkg.version.replace(/\./g, '\\.')}\\nnode      ${process.versions.node}\\n` +
          `platform  ${process.platform} ${process.arch}\\nbuild     (commit [0-9a-f]{7,40}|no commit recorded)\\n$`,
      ),
    );
  });

  it('--json: one document', async () => {
    const r = await hss(['version', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      version: pkg.version,
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
      user_agent: `hss-cli/${pkg.version} node/${process.versions.node} ${process.platform}`,
      build: { commit: expect.toBeOneOf([null, expect.stringMatching(/^[0-9a-f]{7,40}$/)]) },
    });
  });
});

describe('the man page hss(1)', () => {
  it('is declared in package.json, so npm install -g installs it', () => {
    expect(pkg.man).toEqual(['./man/hss.1']);
    expect(pkg.files).toContain('man');
  });

  it('escapes what roff would act on', () => {
    expect(roffText(".starts a request\n'also\\ --flag –")).toBe(
      "\\&.starts a request\n\\&'also\\e \\-\\-flag \\[u2013]",
    );
  });

  it.skipIf(!hasMan)('man renders it: name, every command and option, exit codes', () => {
    const r = spawnSync('man', ['-l', PAGE], {
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'] ?? '',
        LANG: 'C.UTF-8',
        MANWIDTH: '200',
        MANPAGER: 'cat',
        PAGER: 'cat',
      },
    });
    expect(r.status, r.stderr).toBe(0);
    // man may underline or embolden with backspaces when it thinks it writes to a terminal.
    const text = r.stdout.replace(/.\u0008/g, '');
    expect(text).toMatch(/^HSS\(1\) +User Commands +HSS\(1\)/);
    expect(text).toContain('NAME\n       hss - Huawei Cloud Host Security Service');
    const program = buildProgram(async () => {});
    for (const command of allCommands(commandTree(program)).slice(1)) {
      if (command.subcommands.length) continue;
      expect(text).toContain(`   hss ${command.path.join(' ')}\n`);
      for (const option of command.options) expect(text).toContain(option.flags.split(' <')[0]);
    }
    expect(text).toContain('hss api [options] <method> <path>');
    expect(text).toMatch(/EXIT STATUS\n +0 +success/);
  });

  it.skipIf(!hasGroff)('groff reads it without a warning', () => {
    const r = spawnSync('groff', ['-man', '-ww', '-z', PAGE], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
