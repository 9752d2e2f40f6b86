/**
 * The commander tree read back as plain data: every visible command with its arguments, options,
 * defaults and examples. Shell completion and the generated docs are built from this, so they follow
 * whatever program.ts declares.
 */
import type { Argument, Command, Help, Option } from 'commander';
import { collect, type SecretStdin } from '../core/options.js';

export interface TreeOption {
  /** As declared, e.g. `-o, --output <format>`. */
  flags: string;
  short?: string;
  long?: string;
  description: string;
  /** The value placeholder without brackets (`format`), when the option takes a value. */
  valueName?: string;
  valueOptional: boolean;
  /** May be given more than once (a collecting parser or a variadic value). */
  repeatable: boolean;
  choices?: string[];
  defaultValue?: unknown;
}

export interface TreeArgument {
  name: string;
  description: string;
  required: boolean;
  variadic: boolean;
  choices?: string[];
  defaultValue?: unknown;
}

export interface TreeCommand {
  /** Command names from the root, e.g. `['task', 'retry']`; `[]` is the program itself. */
  path: string[];
  name: string;
  aliases: string[];
  description: string;
  /** E.g. `hss task retry [options] <task_id...>`. */
  usage: string;
  arguments: TreeArgument[];
  /** The command's own options (not the help option, not the global options of the root). */
  options: TreeOption[];
  subcommands: TreeCommand[];
  /** Lines of the `Examples:` block of the command's help, without the `$ `. */
  examples: string[];
  /** Other text added after the help (install notes and the like). */
  notes: string;
}

/** The value placeholder of an option without its brackets: `id[:type,type]` from `--cluster <id[:type,type]>`. */
function valueName(option: Option): string | undefined {
  if (!option.required && !option.optional) return undefined;
  const placeholder = option.flags.slice(option.flags.search(/[<[]/));
  return placeholder.slice(1, -1).replace(/\.\.\.$/, '');
}

function treeOption(option: Option, isRepeatable: (option: Option) => boolean): TreeOption {
  const value = valueName(option);
  const out: TreeOption = {
    flags: option.flags,
    description: option.description,
    // commander marks `<id[:type]>` optional too (it holds a "["); required wins, as in its parser.
    valueOptional: !option.required && option.optional,
    repeatable: option.variadic || isRepeatable(option),
  };
  if (option.short) out.short = option.short;
  if (option.long) out.long = option.long;
  if (value !== undefined) out.valueName = value;
  if (option.argChoices) out.choices = [...option.argChoices];
  if (option.defaultValue !== undefined) out.defaultValue = option.defaultValue;
  return out;
}

function treeArgument(arg: Argument): TreeArgument {
  const out: TreeArgument = {
    name: arg.name(),
    description: arg.description,
    required: arg.required,
    variadic: arg.variadic,
  };
  if (arg.argChoices) out.choices = [...arg.argChoices];
  if (arg.defaultValue !== undefined) out.defaultValue = arg.defaultValue;
  return out;
}

/** What a command was declared with beside commander's own data (src/cli/program.ts sets it). */
export interface HelpData {
  /** The command lines of its `Examples:`. */
  examples: readonly string[];
  /** Other text under its help (install notes and the like). */
  notes: string;
  /** Its options that read a secret from standard input, by commander key. */
  secretStdin: Map<string, SecretStdin & { flag: string }>;
}

const HELP_DATA = new WeakMap<Command, HelpData>();

export function setHelpData(command: Command, data: HelpData): void {
  HELP_DATA.set(command, data);
}

/** A command's declared help data; empty for one made without a declaration. */
export function helpData(command: Command): HelpData {
  return HELP_DATA.get(command) ?? { examples: [], notes: '', secretStdin: new Map() };
}

/** Options declared repeatable collect their values with `collect` (commander cannot tell otherwise). */
const isRepeatable = (option: Option): boolean => (option.parseArg as unknown) === collect;

export function commandTree(program: Command): TreeCommand {
  const help: Help = program.createHelp();
  const helpFlags = new Set(['-h', '--help']);

  const visit = (command: Command, path: string[]): TreeCommand => {
    const after = helpData(command);
    return {
      path,
      name: command.name(),
      aliases: command.aliases(),
      description: command.description(),
      usage: help.commandUsage(command),
      arguments: command.registeredArguments.map(treeArgument),
      options: help
        .visibleOptions(command)
        .filter((o) => !(o.long && helpFlags.has(o.long)))
        .map((o) => treeOption(o, isRepeatable)),
      // Only real commands: the implicit `help` commander lists for groups is left out.
      subcommands: help
        .visibleCommands(command)
        .filter((c) => command.commands.includes(c))
        .map((c) => visit(c, [...path, c.name()])),
      examples: [...after.examples],
      notes: after.notes,
    };
  };
  return visit(program, []);
}

/** Every command of the tree, depth first, the root first. */
export function allCommands(root: TreeCommand): TreeCommand[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}
