/**
 * The whole argv surface: every command and option, nothing else. Handlers are loaded on demand so a
 * command pays only for its own code.
 */
import { Argument, Command, type Help, type HelpContext, Option } from 'commander';
import { VERSION } from '../core/version.js';
import { SCAN_TYPES, TASK_STATUSES, TRIGGER_TYPES } from '../core/vocabulary.js';
import type { CommandResult } from '../output/renderer.js';
import type { Context } from './context.js';

export type Run = (handler: (ctx: Context) => Promise<CommandResult>) => Promise<void>;

/** Parser of repeatable options (completion recognises them by it). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * The options that read a secret from standard input, by their commander key. Typed on a terminal, a
 * secret would be echoed (and a person would wait on a silent line), so each of them refuses a
 * terminal before anything else happens; a person is asked with a hidden prompt where there is one.
 */
export const SECRET_STDIN_OPTIONS: Readonly<Record<string, { flag: string; secret: string; hint: string }>> =
  {
    tokenStdin: {
      flag: '--token-stdin',
      secret: 'the token',
      hint: 'printf %s "$TOKEN" | hss … --token-stdin, or set HSS_TOKEN',
    },
    passwordStdin: {
      flag: '--password-stdin',
      secret: 'the password',
      hint: 'leave out --password-stdin to be asked for it (hidden), or pipe it: printf %s "$HSS_PASSWORD" | hss auth login --password-stdin',
    },
    skStdin: {
      flag: '--sk-stdin',
      secret: 'the secret key',
      hint: 'printf %s "$HUAWEICLOUD_SDK_SK" | hss profile set NAME --ak AK --sk-stdin',
    },
  };

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

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function buildProgram(run: Run): Command {
  const program = new HssCommand('hss')
    .description(
      'Huawei Cloud Host Security Service (HSS) from the command line: re-run failed cluster scans.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false, formatHelp })
    .showSuggestionAfterError(true)
    .option('-p, --profile <name>', 'profile to use (env HSS_PROFILE)')
    .option('-r, --region <region>', 'region, e.g. cn-north-4 (env HSS_REGION)')
    .option('--project-id <id>', 'project ID (env HSS_PROJECT_ID)')
    .option(
      '-e, --enterprise-project <id>',
      'enterprise project ID or all_granted_eps (env HSS_ENTERPRISE_PROJECT_ID)',
    )
    .option('--endpoint <url>', 'HSS endpoint URL (env HSS_ENDPOINT)')
    .option('--iam-endpoint <url>', 'IAM endpoint URL (env HSS_IAM_ENDPOINT)')
    .option('--token-stdin', 'read an X-Auth-Token from standard input (env HSS_TOKEN)')
    .addOption(
      new Option('-o, --output <format>', 'output format (env HSS_OUTPUT)').choices(['text', 'json']),
    )
    .option('--json', 'same as --output json')
    .option('-q, --quiet', 'print only errors (and the JSON document with --json)')
    .option('--no-color', 'no colour (env NO_COLOR)')
    .option('--debug', 'trace HTTP exchanges to stderr, secrets masked (env HSS_DEBUG=1)')
    .option('--timeout <duration>', 'per-request timeout, default 30s (env HSS_TIMEOUT)')
    .option(
      '--max-attempts <n>',
      'attempts for retryable failures; 1 disables retries (env HSS_MAX_ATTEMPTS)',
    )
    .option(
      '--ca-bundle <file>',
      'extra PEM CA certificates, added to the system roots and NODE_EXTRA_CA_CERTS (env HSS_CA_BUNDLE)',
    )
    .addHelpText(
      'after',
      examples([
        'hss sandbox --save-profile sandbox          # a local HSS to try things on',
        'hss task retry task-0001 --all-failed',
        'hss task retry task-0001 --cluster c-1:cluster_vul,benchmark --cluster c-2',
        'hss task retry task-0001 --all-failed --json | jq .ok',
      ]),
    );

  const task = program
    .command('task')
    .description('cluster-scan tasks')
    .addHelpText('after', examples(['hss task retry task-0001 --all-failed', 'hss help task retry']));

  task
    .command('retry')
    .description('re-run failed cluster scans of one or more tasks (RetryTask)')
    .argument('<task_id...>', 'task IDs; "-" reads them from standard input (separated by spaces or lines)')
    .option('--all-failed', 'retry every cluster of the task that failed (range_type all_failed_cluster)')
    .option(
      '--cluster <id[:type,type]>',
      `retry this cluster (repeatable); types: ${SCAN_TYPES.join(', ')}; none = every failed scan item`,
      collect,
    )
    .option('--cluster-file <file|->', 'cluster specs, one id[:types] a line (# comments, blank lines ok)')
    .option(
      '--only <type,...>',
      `with --all-failed: rescan only these scan types where they failed (${SCAN_TYPES.join(', ')})`,
    )
    .option('--dry-run', 'print the request that would be sent (secrets masked); send nothing')
    .option('--wait', 'after the retry, follow the task until it has finished (exit 7: clusters failed)')
    .option('--wait-timeout <duration>', 'with --wait: give up after this long, exit 8 (default 30m)')
    .option('--interval <duration>', 'with --wait: time between polls (default 10s)')
    .option('--concurrency <n>', 'tasks retried at once when several are given (default 4)')
    .addHelpText(
      'after',
      examples([
        'hss task retry task-0001 --all-failed',
        'hss task retry task-0001 --all-failed --wait --wait-timeout 1h',
        'hss task retry task-0001 --all-failed --only benchmark',
        'hss task retry task-0001 --cluster cce-prod-01 --cluster cce-prod-02:benchmark',
        'hss task retry task-0001 --cluster-file failed-clusters.txt',
        'hss task list --since 12h --json | jq -r ".tasks[].task_id" | hss task retry - --all-failed --wait',
        'hss task retry task-0001 --all-failed --dry-run',
      ]),
    )
    .action((ids: string[], opts) =>
      run(async (ctx) => (await import('../commands/task/retry/index.js')).taskRetry(ids, opts, ctx)),
    );

  // task list / show / wait are registered here (lifecycle commands).
  task
    .command('list')
    .description('list cluster-scan tasks, newest first (ListTasks)')
    .addOption(new Option('--status <status>', 'only tasks in this state').choices(TASK_STATUSES))
    .option('--name <text>', 'only tasks whose name contains this text (any case)')
    .addOption(new Option('--trigger <type>', 'only tasks started this way').choices(TRIGGER_TYPES))
    .option('--since <duration|date>', 'only tasks started since: 12h, 2d, 2026-11-26 or 2026-11-26T20:00')
    .option('--limit <n>', 'show at most this many tasks (default 20)')
    .option('--all', 'every matching task, read 200 a page')
    .addHelpText(
      'after',
      examples([
        'hss task list',
        'hss task list --status finished --trigger schedule --since 12h',
        'hss task list --name nightly --all --json | jq -r ".tasks[] | select(.cluster_scan_info.failed_cluster_num > 0) | .task_id"',
      ]),
    )
    .action((opts) =>
      run(async (ctx) => (await import('../commands/task/list/index.js')).taskList(opts, ctx)),
    );
  task
    .command('show')
    .description("a task's summary and per-cluster results with failed reasons (ListTaskResources)")
    .argument('<task_id>', 'task ID')
    .option('--failed', 'only the clusters that failed')
    .addHelpText(
      'after',
      examples([
        'hss task show task-0001',
        'hss task show task-0001 --failed',
        'hss task show task-0001 --failed --json | jq -r ".clusters[].cluster_id"',
      ]),
    )
    .action((id: string, opts) =>
      run(async (ctx) => (await import('../commands/task/show/index.js')).taskShow(id, opts, ctx)),
    );
  task
    .command('wait')
    .description(
      'follow a task until it has finished: exit 0, 7 when clusters failed, 8 after --wait-timeout',
    )
    .argument('<task_id>', 'task ID')
    .option('--wait-timeout <duration>', 'give up after this long, exit 8 (default 30m)')
    .option('--interval <duration>', 'time between polls (default 10s)')
    .addHelpText(
      'after',
      examples([
        'hss task wait task-0001',
        'hss task wait task-0001 --wait-timeout 1h --interval 30s',
        'hss task wait task-0001 -q; echo "exit $?"   # 0 done, 7 clusters failed, 8 gave up',
      ]),
    )
    .action((id: string, opts) =>
      run(async (ctx) => (await import('../commands/task/wait/index.js')).taskWait(id, opts, ctx)),
    );

  // auth login / status / logout are registered here (authentication commands).
  const auth = program
    .command('auth')
    .description('log in with an IAM user, see which credential is in use')
    .addHelpText(
      'after',
      examples([
        'hss -p prod auth login --user alice --domain acme',
        'hss -p prod auth status',
        'hss -p prod auth logout',
      ]),
    );
  auth
    .command('login')
    .description(
      "IAM password login: cache a token scoped to the profile's region (the password is never stored)",
    )
    .option('--user <name>', "IAM user name (default: the profile's)")
    .option('--domain <account>', "account (domain) name (default: the profile's)")
    .option('--password-stdin', 'read the password from standard input (else a prompt on a terminal)')
    .addHelpText(
      'after',
      examples([
        'hss -p prod auth login --user alice --domain acme          # prompts for the password',
        'printf %s "$HSS_PASSWORD" | hss -p prod auth login --password-stdin',
      ]),
    )
    .action((opts) => run(async (ctx) => (await import('../commands/auth/index.js')).authLogin(opts, ctx)));
  auth
    .command('status')
    .description('which credential is in use: source, who, project, expiry (never the secret)')
    .addHelpText('after', examples(['hss auth status', 'hss -p prod auth status --json | jq -r .expires_at']))
    .action(() => run(async (ctx) => (await import('../commands/auth/index.js')).authStatus(ctx)));
  auth
    .command('logout')
    .description('remove the cached login (and cached credential command output) of the profile')
    .addHelpText('after', examples(['hss -p prod auth logout']))
    .action(() => run(async (ctx) => (await import('../commands/auth/index.js')).authLogout(ctx)));

  const profile = program
    .command('profile')
    .description('named sets of settings and credentials')
    .addHelpText(
      'after',
      examples([
        'hss profile set prod --region cn-north-4 --project-id 0123456789abcdef0123456789abcdef --use',
        'hss profile list',
        'hss --profile prod task retry task-0001 --all-failed',
      ]),
    );
  profile
    .command('set')
    .description(
      'create or update a profile; global options given here (--region, --project-id, …) are saved',
    )
    .argument('<name>', 'profile name')
    .addOption(
      new Option('--auth <kind>', 'credential kind the profile uses').choices([
        'token',
        'aksk',
        'password',
        'command',
      ]),
    )
    .option('--ak <ak>', 'access key ID (the secret key comes from --sk-stdin)')
    .option('--sk-stdin', 'read the secret access key from standard input')
    .option('--user <name>', 'IAM user name for `hss auth login`')
    .option('--domain <account>', 'account (domain) name for `hss auth login`')
    .option('--credential-command <cmd>', 'command whose output is a token or key pair')
    .option('--use', 'make it the current profile')
    .option('--unset <field>', 'remove a field from the profile (repeatable)', collect)
    .addHelpText(
      'after',
      examples([
        'hss profile set prod --region cn-north-4 --project-id 0123456789abcdef0123456789abcdef --use',
        'printf %s "$TOKEN" | hss profile set prod --token-stdin',
      ]),
    )
    .action((name: string, _opts, cmd: Command) =>
      run(async (ctx) =>
        (await import('../commands/profile/index.js')).profileSet(name, cmd.optsWithGlobals(), ctx),
      ),
    );
  profile
    .command('list')
    .description('list profiles')
    .addHelpText(
      'after',
      examples(['hss profile list', 'hss profile list --json | jq -r ".profiles[].name"']),
    )
    .action(() => run(async (ctx) => (await import('../commands/profile/index.js')).profileList(ctx)));
  profile
    .command('show')
    .description('show a profile (secrets masked)')
    .argument('[name]', 'profile name (default: the one in use)')
    .addHelpText('after', examples(['hss profile show', 'hss profile show prod --json']))
    .action((name: string | undefined) =>
      run(async (ctx) => (await import('../commands/profile/index.js')).profileShow(name, ctx)),
    );
  profile
    .command('use')
    .description('make a profile the current one')
    .argument('<name>', 'profile name')
    .addHelpText('after', examples(['hss profile use prod']))
    .action((name: string) =>
      run(async (ctx) => (await import('../commands/profile/index.js')).profileUse(name, ctx)),
    );
  profile
    .command('remove')
    .aliases(['rm', 'delete'])
    .description('delete a profile')
    .argument('<name>', 'profile name')
    .addHelpText(
      'after',
      examples(['hss profile remove old-test', 'hss profile rm old-test', 'hss profile delete old-test']),
    )
    .action((name: string) =>
      run(async (ctx) => (await import('../commands/profile/index.js')).profileRemove(name, ctx)),
    );

  program
    .command('config')
    .description('resolved settings')
    .addHelpText('after', examples(['hss config show']))
    .command('show')
    .description('every resolved setting and where it came from')
    .addHelpText(
      'after',
      examples([
        'hss config show',
        'hss --profile prod config show --json',
        'HSS_REGION=cn-east-3 hss config show',
      ]),
    )
    .action(() => run(async (ctx) => (await import('../commands/config/show/index.js')).configShow(ctx)));

  program
    .command('sandbox')
    .description('run a local emulator of the HSS task APIs and IAM (no cloud account needed)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port; 0 picks a free one', '8443')
    .option('--save-profile <name>', 'write a profile pointing at the sandbox')
    .option('--force', 'with --save-profile: overwrite a profile that does not point at a sandbox')
    .option(
      '--fault <spec>',
      'inject a fault: 503x2, 429x1, reset, hang, badjson, slow:2000 (repeatable)',
      collect,
    )
    .option('--latency <ms>', 'delay every answer by this many milliseconds')
    .option('--progress <duration>', 'how long a retried task runs before it finishes', '5s')
    .option('--token-ttl <duration>', 'lifetime of tokens its IAM login issues', '24h')
    .addHelpText(
      'after',
      examples(['hss sandbox --port 0 --save-profile sandbox', 'hss sandbox --fault 503x2 --fault slow:500']),
    )
    .action((opts) => run(async (ctx) => (await import('../commands/sandbox/index.js')).sandbox(opts, ctx)));

  // completion and help topics are registered here (shell integration).
  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'shell to complete for').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `${examples([
        'source <(hss completion bash)                          # try it in the current bash',
        'hss completion fish > ~/.config/fish/completions/hss.fish',
      ])}
Install:
  bash  add to ~/.bashrc:       source <(hss completion bash)
        or, with bash-completion: hss completion bash > ~/.local/share/bash-completion/completions/hss
  zsh   add to ~/.zshrc, after compinit:  source <(hss completion zsh)
        or save it on your fpath:        hss completion zsh > "\${fpath[1]}/_hss"
  fish  hss completion fish > ~/.config/fish/completions/hss.fish
Open a new shell afterwards. Commands, options and their values (scan types, statuses, output formats)
are part of the script; profile names are read from the profile store each time you press TAB (names
only, never a credential). Print the script again after upgrading hss.
`,
    )
    .action((shell: 'bash' | 'zsh' | 'fish') =>
      run(async (ctx) => (await import('../commands/completion/index.js')).completion(shell, program, ctx)),
    );

  // What the completion scripts ask at TAB time (profile names); not for people.
  program
    .command('__complete', { hidden: true })
    .argument('<kind>')
    .action((kind: string) =>
      run(async (ctx) => (await import('../commands/complete/index.js')).complete(kind, ctx)),
    );

  // A real `help` command in place of commander's, so that it also knows the topics and takes a whole
  // command path. Groups keep commander's own (`hss task help retry`): they copied it when created.
  program.helpCommand(false);
  program
    .command('help')
    .description('show help for a command, or a help topic: exit-codes, environment')
    .argument('[command_or_topic...]', 'a command path such as "task retry", or a topic')
    .addHelpText(
      'after',
      examples(['hss help task retry', 'hss help exit-codes', 'hss help environment --json | jq .']),
    )
    .action((words: string[]) =>
      run(async (ctx) => (await import('../commands/help/index.js')).help(words, program, ctx)),
    );
  program.addHelpText(
    'after',
    'Help topics:\n  hss help exit-codes    what each exit code means\n  hss help environment   environment variables hss reads',
  );

  return program;
}
