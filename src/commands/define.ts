/**
 * A command declared as data: its name, arguments, options, help and examples, cheap to import (no
 * handler code), from which src/cli/program.ts builds commander's tree and src/help/ the generated
 * docs and completion. The handler's argument and option types are inferred from the declaration, so
 * they cannot drift from the flags:
 *
 *   // src/commands/task/show/command.ts
 *   export const spec = defineCommand({
 *     name: 'show',
 *     description: "a task's per-cluster results",
 *     arguments: [arg('<task_id>', 'task ID')],
 *     options: [flag('--failed', 'only the clusters that failed')],
 *     examples: ['hss task show task-0001 --failed'],
 *   });
 *   export const load: Loader<typeof spec> = () => import('./index.js');
 *
 *   // src/commands/task/show/index.ts: `opts.failed` is `boolean | undefined`, `args.task_id` a string
 *   const taskShow: Handler<typeof spec> = async ({ args, opts }, ctx) => { … };
 *   export default taskShow;
 *
 * (`load` is typed by hand: inferred from `import()`, its type would depend on the handler's, which
 * depends on the spec.)
 */
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import type { ArgSpec, ArgsOf, OptionSpec, OptionsOf } from '../core/options.js';
import type { CommandResult } from '../output/renderer.js';

export type { ArgSpec, OptionSpec } from '../core/options.js';
export { arg, argChoice, choice, flag, list, value } from '../core/options.js';

/* ---------- commands ---------- */

/** An example command line of the help and the docs, as typed (a `# comment` may follow it). */
export type Example = string;

export interface CommandSpec<
  A extends readonly ArgSpec[] = readonly ArgSpec[],
  O extends readonly OptionSpec[] = readonly OptionSpec[],
> {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly description: string;
  readonly arguments?: A;
  readonly options?: O;
  readonly examples?: readonly Example[];
  /** More help after the examples (install notes, say). */
  readonly notes?: string;
  /** Not listed in help, docs or completion (what completion scripts call). */
  readonly hidden?: boolean;
}

export function defineCommand<
  const A extends readonly ArgSpec[] = [],
  const O extends readonly OptionSpec[] = [],
>(spec: CommandSpec<A, O>): CommandSpec<A, O> {
  return spec;
}

/** What a handler is given besides the context: its arguments, its options, and the command tree. */
export interface HandlerInput<A, O> {
  args: A;
  opts: O;
  /** The whole program, for the commands that describe it (help, completion). */
  program: Command;
}

export type Handler<S> =
  S extends CommandSpec<infer A, infer O>
    ? (input: HandlerInput<ArgsOf<A>, OptionsOf<O>>, ctx: Context) => Promise<CommandResult>
    : never;

/** Loads a command's handler (its own chunk), typed by hand against the spec (see the header). */
export type Loader<S> = () => Promise<{ default: Handler<S> }>;

/** A command folder's `command.ts`: the spec and the loader of its handler. */
export interface CommandModule {
  readonly spec: CommandSpec;
  // The handler's own input type is checked where `load` is declared, against its spec.
  readonly load: () => Promise<{ default: (input: never, ctx: Context) => Promise<CommandResult> }>;
}

/** A command that only groups others (`hss task`): its help lists them. */
export interface GroupSpec {
  readonly name: string;
  readonly description: string;
  readonly examples?: readonly Example[];
  readonly commands: readonly CommandModule[];
}

export function defineGroup(group: GroupSpec): GroupSpec {
  return group;
}

/** A command's parsed options, from its spec: `Options<typeof spec>`. */
export type Options<S> = S extends CommandSpec<readonly ArgSpec[], infer O> ? OptionsOf<O> : never;
/** A command's parsed arguments, from its spec: `Args<typeof spec>`. */
export type Args<S> = S extends CommandSpec<infer A> ? ArgsOf<A> : never;
