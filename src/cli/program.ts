/**
 * The command line as commander parses it, built from the declarations: the global options
 * (src/settings/flags.ts) and every command of src/commands/registry.ts. Syntax only: a command's
 * handler is loaded when it runs, so each invocation pays only for its own code.
 */
import { Argument, Command, type Help, type HelpContext, Option } from 'commander';
import type { CommandModule, CommandSpec, GroupSpec } from '../commands/define.js';
import { COMMANDS } from '../commands/registry.js';
import { type ArgSpec, collect, type OptionSpec } from '../core/options.js';
import { VERSION } from '../core/version.js';
import { type HelpData, setHelpData } from '../help/command-tree.js';
import { GLOBAL_OPTIONS } from '../settings/flags.js';

export { helpData } from '../help/command-tree.js';

/** Runs a command: loads its handler and hands it what commander parsed. */
export type Run = (
  command: CommandModule,
  input: { args: Record<string, unknown>; opts: Record<string, unknown> },
) => Promise<void>;

const ROOT_EXAMPLES = [
  'hss sandbox --save-profile sandbox          # a local HSS to try things on',
  'hss task retry task-0001 --all-failed',
  'hss task retry task-0001 --cluster c-1:cluster_vul,benchmark --cluster c-2',
  'hss task retry task-0001 --all-failed --json | jq .ok',
];
const HELP_TOPICS_TEXT =
  'Help topics:\n  hss help exit-codes    what each exit code means\n  hss help environment   environment variables hss reads';

/**
 * commander's help page with the subcommands right after the usage: what a command can do first, then
 * how to tune it (the global options are the same long list on every page). Otherwise as commander
 * lays it out.
 */
function formatHelp(cmd: Command, helper: Help): string {
  const termWidth = helper.padWidth(cmd, helper);
  const item = (term: string, description: string) => helper.formatItem(term, termWidth, description, helper);
  let output = [`${helper.styleTitle('Usage:')} ${helper.styleUsage(helper.commandUsage(cmd))}`, ''];
  const description = helper.commandDescription(cmd);
  if (description.length > 0) {
    output.push(helper.boxWrap(helper.styleCommandDescription(description), helper.helpWidth ?? 80), '');
  }
  const args = helper
    .visibleArguments(cmd)
    .map((a) =>
      item(
        helper.styleArgumentTerm(helper.argumentTerm(a)),
        helper.styleArgumentDescription(helper.argumentDescription(a)),
      ),
    );
  output = output.concat(helper.formatItemList('Arguments:', args, helper));
  const commandGroups = helper.groupItems(
    cmd.commands as Command[],
    helper.visibleCommands(cmd),
    (sub) => sub.helpGroup() || 'Commands:',
  );
  for (const [group, commands] of commandGroups) {
    const list = commands.map((sub) =>
      item(
        helper.styleSubcommandTerm(helper.subcommandTerm(sub)),
        helper.styleSubcommandDescription(helper.subcommandDescription(sub)),
      ),
    );
    output = output.concat(helper.formatItemList(group, list, helper));
  }
  const option = (o: Option) =>
    item(
      helper.styleOptionTerm(helper.optionTerm(o)),
      helper.styleOptionDescription(helper.optionDescription(o)),
    );
  const optionGroups = helper.groupItems(
    cmd.options as Option[],
    helper.visibleOptions(cmd),
    (o) => o.helpGroupHeading ?? 'Options:',
  );
  for (const [group, options] of optionGroups) {
    output = output.concat(helper.formatItemList(group, options.map(option), helper));
  }
  if (helper.showGlobalOptions) {
    output = output.concat(
      helper.formatItemList('Global Options:', helper.visibleGlobalOptions(cmd).map(option), helper),
    );
  }
  return output.join('\n');
}

/**
 * A command group named without its subcommand (`hss task`) shows its help as if asked for it: on
 * stdout, exit 0 (commander's own way is an error: stderr, exit 1).
 */
class HssCommand extends Command {
  override createCommand(name?: string): HssCommand {
    return new HssCommand(name);
  }

  override help(context?: HelpContext): never;
  override help(cb: (str: string) => string): never;
  override help(context?: HelpContext | ((str: string) => string)): never {
    if (typeof context === 'function') return super.help(context);
    const lacksSubcommand = this.commands.length > 0 && this.args.length === 0;
    return super.help(context?.error && lacksSubcommand ? { error: false } : context);
  }
}

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

function addOptions(command: Command, options: readonly OptionSpec[], data: HelpData): void {
  for (const spec of options) {
    const option = new Option(spec.flags, spec.description);
    if (spec.choices) option.choices(spec.choices);
    if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
    if (spec.repeatable) option.argParser(collect);
    command.addOption(option);
    if (spec.secretStdin)
      data.secretStdin.set(option.attributeName(), { ...spec.secretStdin, flag: option.long ?? spec.flags });
  }
}

function addArguments(command: Command, args: readonly ArgSpec[]): void {
  for (const spec of args) {
    const argument = new Argument(spec.syntax, spec.description);
    if (spec.choices) argument.choices(spec.choices);
    command.addArgument(argument);
  }
}

/** Declares what help, docs and completion show of a command: its examples, then its notes. */
function describe(
  command: Command,
  spec: { examples?: readonly string[]; notes?: string },
  data: HelpData,
): void {
  data.examples = spec.examples ?? [];
  data.notes = spec.notes ?? '';
  setHelpData(command, data);
  const after = `${data.examples.length ? examples(data.examples) : ''}${data.notes ? `\n${data.notes}\n` : ''}`;
  if (after) command.addHelpText('after', after);
}

const isGroup = (entry: GroupSpec | CommandModule): entry is GroupSpec => 'commands' in entry;

function addCommand(parent: Command, module: CommandModule, run: Run): void {
  const spec: CommandSpec = module.spec;
  const command = parent.command(spec.name, spec.hidden ? { hidden: true } : {});
  if (spec.description) command.description(spec.description);
  if (spec.aliases) command.aliases([...spec.aliases]);
  const data: HelpData = { examples: [], notes: '', secretStdin: new Map() };
  addArguments(command, spec.arguments ?? []);
  addOptions(command, spec.options ?? [], data);
  describe(command, spec, data);
  const names = (spec.arguments ?? []).map((a) =>
    a.syntax.replace(/^[<[]|\.{3}|[>\]]$/g, '').replace(/\.{3}$/, ''),
  );
  command.action((...params: unknown[]) => {
    const args = Object.fromEntries(names.map((name, i) => [name, params[i]]));
    return run(module, { args, opts: command.opts() });
  });
}

/** The program of `commands` (every command of hss unless told otherwise). */
export function buildProgram(run: Run, commands: readonly (GroupSpec | CommandModule)[] = COMMANDS): Command {
  const program = new HssCommand('hss')
    .description(
      'Huawei Cloud Host Security Service (HSS) from the command line: re-run failed cluster scans.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false, formatHelp })
    .showSuggestionAfterError(true);
  const rootData: HelpData = { examples: [], notes: '', secretStdin: new Map() };
  addOptions(program, GLOBAL_OPTIONS, rootData);
  describe(program, { examples: ROOT_EXAMPLES }, rootData);

  for (const entry of commands) {
    // A real `help` command in place of commander's, so that it also knows the topics and takes a whole
    // command path. Groups keep commander's own (`hss task help retry`): they copied it when created.
    if (!isGroup(entry) && entry.spec.name === 'help') program.helpCommand(false);
    if (!isGroup(entry)) {
      addCommand(program, entry, run);
      continue;
    }
    const group = program.command(entry.name).description(entry.description);
    describe(group, entry, { examples: [], notes: '', secretStdin: new Map() });
    for (const module of entry.commands) addCommand(group, module, run);
  }
  // The topics follow the examples of the root's help, a paragraph of their own.
  rootData.notes = HELP_TOPICS_TEXT;
  program.addHelpText('after', HELP_TOPICS_TEXT);
  return program;
}
