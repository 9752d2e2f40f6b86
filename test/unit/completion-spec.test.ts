import { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { SCAN_TYPES, TASK_STATUSES, TRIGGER_TYPES } from '../../src/api/schemas.js';
import { buildProgram } from '../../src/cli/program.js';
import { collect } from '../../src/core/options.js';
import { bashScript } from '../../src/help/completion/bash.js';
import { completionSpec, specCommands } from '../../src/help/completion/spec.js';
import { tempDir } from '../helpers/cli.js';
import { bashComplete, hssOnPath, installed } from '../helpers/shells.js';

/** The program with commands of the kind other branches add, to see completion pick them up. */
function programWithLifecycle() {
  const program = buildProgram(async () => {});
  const task = program.commands.find((c) => c.name() === 'task');
  if (!task) throw new Error('no task command');
  task
    .command('audit')
    .description('an imagined future command')
    .option('--status <status>', 'task status')
    .option('--trigger <type>', 'trigger type')
    .addOption(new Option('--sort <field>', 'sort order').choices(['start', 'end']))
    .option('--only <type,...>', 'scan types')
    .option('--tag <tag>', 'repeatable tag', collect);
  return program;
}

describe('completion spec from the command tree', () => {
  const spec = completionSpec(programWithLifecycle(), '1.2.3');
  const list = specCommands(spec.root).find((c) => c.path.join(' ') === 'task audit');
  const option = (long: string) => list?.options.find((o) => o.long === long);

  it('takes values from .choices(), else from the constants of the schema', () => {
    expect(option('--sort')?.value).toEqual({ kind: 'words', words: ['start', 'end'] });
    expect(option('--status')?.value).toEqual({ kind: 'words', words: [...TASK_STATUSES] });
    expect(option('--trigger')?.value).toEqual({ kind: 'words', words: [...TRIGGER_TYPES] });
    expect(option('--only')?.value).toEqual({ kind: 'scan-types' });
    expect(spec.scanTypes).toEqual(SCAN_TYPES);
  });

  it('knows repeatable options by their parser, and global options apart', () => {
    expect(option('--tag')?.repeatable).toBe(true);
    expect(option('--status')?.repeatable).toBe(false);
    expect(spec.globals.map((o) => o.long)).toContain('--profile');
    expect(spec.globals.map((o) => o.long)).toContain('--help');
    expect(list?.options.map((o) => o.long)).not.toContain('--profile');
  });

  it('leaves out hidden commands', () => {
    expect(spec.root.subcommands.map((c) => c.name)).not.toContain('__complete');
  });

  it.skipIf(!installed('bash'))(
    'a command added to the tree completes in bash without touching the scripts',
    async () => {
      const got = await bashComplete(
        bashScript(spec),
        [
          'hss task au',
          'hss task audit --status ',
          'hss task audit --trigger s',
          'hss task audit --only benchmark,c',
        ],
        { configDir: tempDir(), binDir: hssOnPath() },
      );
      expect(got).toEqual([
        ['audit'],
        ['ready', 'running', 'finished'],
        ['schedule'],
        ['benchmark,cluster_vul'],
      ]);
    },
  );
});
