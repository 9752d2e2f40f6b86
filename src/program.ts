/**
 * The whole argv surface: every command and option, nothing else. Handlers are loaded on demand so a
 * command pays only for its own code.
 */
import { Command, Option } from 'commander';
import type { Context } from './context.js';
import { SCAN_TYPES } from './limits.js';
import type { CommandResult } from './output/renderer.js';
import { VERSION } from './version.js';

export type Run = (handler: (ctx: Context) => Promise<CommandResult>) => Promise<void>;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function buildProgram(run: Run): Command {
  const program = new Command('hss')
    .description(
      'Huawei Cloud Host Security Service (HSS) from the command line: re-run failed cluster scans.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
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
    .addHelpText(
      'after',
      examples([
        'hss sandbox --save-profile sandbox          # a local HSS to try things on',
        'hss task retry task-0001 --all-failed',
        'hss task retry task-0001 --cluster c-1:cluster_vul,benchmark --cluster c-2',
        'hss task retry task-0001 --all-failed --json | jq .ok',
      ]),
    );

  const task = program.command('task').description('cluster-scan tasks');

  task
    .command('retry')
    .description('re-run failed cluster scans of one or more tasks (RetryTask)')
    .argument('<task_id...>', 'task IDs; "-" reads them from standard input, one a line')
    .option('--all-failed', 'retry every cluster of the task that failed (range_type all_failed_cluster)')
    .option(
      '--cluster <id[:type,type]>',
      `retry this cluster (repeatable); types: ${SCAN_TYPES.join(', ')}; none = every failed scan item`,
      collect,
    )
    .option('--cluster-file <file|->', 'cluster specs, one id[:types] a line (# comments, blank lines ok)')
    .option('--dry-run', 'print the request that would be sent (secrets masked); send nothing')
    .option('--concurrency <n>', 'tasks retried at once when several are given (default 4)')
    .addHelpText(
      'after',
      examples([
        'hss task retry task-0001 --all-failed',
        'hss task retry task-0001 --cluster cce-prod-01 --cluster cce-prod-02:benchmark',
        'hss task retry task-0001 --cluster-file failed-clusters.txt',
        'hss task list --status finished --json | jq -r ".tasks[].task_id" | hss task retry - --all-failed',
        'hss task retry task-0001 --all-failed --dry-run',
      ]),
    )
    .action((ids: string[], opts) =>
      run(async (ctx) => (await import('./commands/task-retry.js')).taskRetry(ids, opts, ctx)),
    );

  // task list / show / wait are registered here (lifecycle commands).

  // auth login / status / logout are registered here (authentication commands).

  const profile = program.command('profile').description('named sets of settings and credentials');
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
        (await import('./commands/profile.js')).profileSet(name, cmd.optsWithGlobals(), ctx),
      ),
    );
  profile
    .command('list')
    .description('list profiles')
    .action(() => run(async (ctx) => (await import('./commands/profile.js')).profileList(ctx)));
  profile
    .command('show')
    .description('show a profile (secrets masked)')
    .argument('[name]', 'profile name (default: the one in use)')
    .action((name: string | undefined) =>
      run(async (ctx) => (await import('./commands/profile.js')).profileShow(name, ctx)),
    );
  profile
    .command('use')
    .description('make a profile the current one')
    .argument('<name>', 'profile name')
    .action((name: string) =>
      run(async (ctx) => (await import('./commands/profile.js')).profileUse(name, ctx)),
    );
  profile
    .command('remove')
    .alias('rm')
    .description('delete a profile')
    .argument('<name>', 'profile name')
    .action((name: string) =>
      run(async (ctx) => (await import('./commands/profile.js')).profileRemove(name, ctx)),
    );

  program
    .command('config')
    .description('resolved settings')
    .command('show')
    .description('every resolved setting and where it came from')
    .action(() => run(async (ctx) => (await import('./commands/config.js')).configShow(ctx)));

  program
    .command('sandbox')
    .description('run a local emulator of the HSS task APIs and IAM (no cloud account needed)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port; 0 picks a free one', '8443')
    .option('--save-profile <name>', 'write a profile pointing at the sandbox')
    .option(
      '--fault <spec>',
      'inject a fault: 503x2, 429x1, reset, hang, badjson, slow:2000 (repeatable)',
      collect,
    )
    .option('--latency <ms>', 'delay every answer by this many milliseconds')
    .option('--progress <duration>', 'how long a retried task runs before it finishes', '5s')
    .addHelpText(
      'after',
      examples(['hss sandbox --port 0 --save-profile sandbox', 'hss sandbox --fault 503x2 --fault slow:500']),
    )
    .action((opts) => run(async (ctx) => (await import('./commands/sandbox.js')).sandbox(opts, ctx)));

  // completion and help topics are registered here (shell integration).

  return program;
}
