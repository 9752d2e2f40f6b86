/**
 * `hss help [command...]` and `hss help <topic>`: commander's help for any command of the tree, and
 * the reference topics (exit codes, environment) from the same data as the docs.
 */
import type { Command } from 'commander';
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../core/errors.js';
import { quote } from '../../core/text.js';
import {
  ENVIRONMENT,
  ENVIRONMENT_NOTES,
  EXIT_CODE_NOTES,
  EXIT_CODES,
  environmentText,
  exitCodesText,
  HELP_TOPICS,
} from '../../help/reference.js';
import type { CommandResult } from '../../output/renderer.js';
import type { Handler } from '../define.js';
import type { spec } from './command.js';

/** The full help of a command, as `--help` prints it, captured instead of written. */
export function helpText(command: Command): string {
  let text = '';
  const saved = command.configureOutput();
  command.configureOutput({
    writeOut: (s) => {
      text += s;
    },
  });
  try {
    command.outputHelp();
  } finally {
    command.configureOutput(saved);
  }
  return text;
}

function topicResult(topic: string, width: number): CommandResult | undefined {
  if (topic === 'exit-codes') {
    return {
      data: { ok: true, topic, exit_codes: EXIT_CODES, notes: EXIT_CODE_NOTES },
      text: () => exitCodesText(width),
      exitCode: 0,
    };
  }
  if (topic === 'environment') {
    return {
      data: { ok: true, topic, environment: ENVIRONMENT, notes: ENVIRONMENT_NOTES },
      text: () => environmentText(width),
      exitCode: 0,
    };
  }
  return undefined;
}

export async function help(words: string[], program: Command, ctx: Context): Promise<CommandResult> {
  const width = Math.min(ctx.io.stdout.columns ?? 80, 120);
  const [first] = words;
  if (words.length === 1 && first !== undefined) {
    const topic = topicResult(first, width);
    if (topic) return topic;
  }
  const helper = program.createHelp();
  let command = program;
  const path: string[] = [];
  for (const word of words) {
    const visible = helper.visibleCommands(command).filter((c) => command.commands.includes(c));
    const next = visible.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) {
      const names = visible.map((c) => c.name()).join(', ');
      if (command === program) {
        throw new UsageError(`no command or help topic ${quote(word)}`, {
          hint: `commands: ${names}; topics: ${HELP_TOPICS.map((t) => t.name).join(', ')}`,
        });
      }
      throw new UsageError(`\`${[program.name(), ...path].join(' ')}\` has no subcommand ${quote(word)}`, {
        hint: names ? `its subcommands: ${names}` : `see \`${[program.name(), ...path].join(' ')} --help\``,
      });
    }
    command = next;
    path.push(next.name());
  }
  const text = helpText(command);
  return {
    data: { ok: true, command: [program.name(), ...path].join(' '), help: text },
    text: () => text,
    exitCode: 0,
  };
}

const handler: Handler<typeof spec> = ({ args, program }, ctx) => help(args.command_or_topic, program, ctx);
export default handler;
