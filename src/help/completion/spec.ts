/**
 * What a shell needs to complete hss, read from the commander tree: commands, aliases, options, which
 * options take a value and where that value comes from. The bash, zsh and fish scripts are printed
 * from this one description.
 */
import type { Command } from 'commander';
import { SCAN_TYPES, TASK_STATUSES, TRIGGER_TYPES } from '../../api/schemas.js';
import { KNOWN_REGIONS } from '../../settings/endpoints.js';
import { commandTree, type TreeArgument, type TreeCommand, type TreeOption } from '../command-tree.js';
import { HELP_TOPICS } from '../reference.js';

/** Where the candidates for a value come from. */
export type ValueSource =
  | { kind: 'none' }
  | { kind: 'words'; words: string[] }
  /** Profile names, read from the store when TAB is pressed (`hss __complete profiles`). */
  | { kind: 'profiles' }
  | { kind: 'files' }
  /** A comma-separated list of scan types. */
  | { kind: 'scan-types' }
  /** `id` or `id:type,type`: scan types after the colon. */
  | { kind: 'cluster-spec' }
  /** Command names then subcommand names, and the help topics (`hss help …`). */
  | { kind: 'help' };

/** An option of the tree as a shell sees it: its names and value, and where the value comes from. */
export type CompletionOption = Pick<
  TreeOption,
  'short' | 'long' | 'description' | 'valueName' | 'valueOptional' | 'repeatable'
> & { value: ValueSource };

export type CompletionArgument = Pick<TreeArgument, 'name' | 'required' | 'variadic'> & {
  value: ValueSource;
};

export interface CompletionCommand extends Pick<TreeCommand, 'path' | 'name' | 'aliases' | 'description'> {
  options: CompletionOption[];
  arguments: CompletionArgument[];
  subcommands: CompletionCommand[];
}

export interface CompletionSpec {
  program: string;
  version: string;
  root: CompletionCommand;
  /** Options of the program itself, accepted before and after any subcommand. */
  globals: CompletionOption[];
  scanTypes: readonly string[];
  helpTopics: string[];
}

const NONE: ValueSource = { kind: 'none' };

/** Values commander cannot know from `.choices()`, by long flag. */
const VALUES_BY_FLAG: Record<string, ValueSource> = {
  '--profile': { kind: 'profiles' },
  '--region': { kind: 'words', words: [...KNOWN_REGIONS] },
  '--cluster': { kind: 'cluster-spec' },
  '--cluster-file': { kind: 'files' },
  '--ca-bundle': { kind: 'files' },
  '--only': { kind: 'scan-types' },
  '--status': { kind: 'words', words: [...TASK_STATUSES] },
  '--trigger': { kind: 'words', words: [...TRIGGER_TYPES] },
};

function optionValue(option: TreeOption): ValueSource {
  if (option.valueName === undefined) return NONE;
  if (option.choices) return { kind: 'words', words: option.choices };
  return (option.long && VALUES_BY_FLAG[option.long]) || NONE;
}

function completionOption(option: TreeOption): CompletionOption {
  const out: CompletionOption = {
    description: option.description,
    valueOptional: option.valueOptional,
    repeatable: option.repeatable,
    value: optionValue(option),
  };
  if (option.short) out.short = option.short;
  if (option.long) out.long = option.long;
  if (option.valueName !== undefined) out.valueName = option.valueName;
  return out;
}

function completionCommand(command: TreeCommand): CompletionCommand {
  return {
    path: command.path,
    name: command.name,
    aliases: command.aliases,
    description: command.description,
    options: command.options.map(completionOption),
    arguments: command.arguments.map((arg) => {
      let value: ValueSource = NONE;
      if (arg.choices) value = { kind: 'words', words: arg.choices };
      else if (command.path.length === 1 && command.path[0] === 'help') value = { kind: 'help' };
      else if (command.path[0] === 'profile' && arg.name === 'name') value = { kind: 'profiles' };
      return { name: arg.name, required: arg.required, variadic: arg.variadic, value };
    }),
    subcommands: command.subcommands.map(completionCommand),
  };
}

export function completionSpec(program: Command, version: string): CompletionSpec {
  const tree = commandTree(program);
  const root = completionCommand(tree);
  const globals: CompletionOption[] = [
    ...root.options,
    {
      short: '-h',
      long: '--help',
      description: 'show help',
      valueOptional: false,
      repeatable: false,
      value: NONE,
    },
  ];
  return {
    program: program.name(),
    version,
    root: { ...root, options: [] },
    globals,
    scanTypes: SCAN_TYPES,
    helpTopics: HELP_TOPICS.map((t) => t.name),
  };
}

/** Every command of the spec, depth first, the root first. */
export function specCommands(root: CompletionCommand): CompletionCommand[] {
  return [root, ...root.subcommands.flatMap(specCommands)];
}

/** The option's flags, short first. */
export function optionNames(option: CompletionOption): string[] {
  return [option.short, option.long].filter((n): n is string => n !== undefined);
}
