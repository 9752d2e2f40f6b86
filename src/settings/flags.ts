/**
 * The global options: every command takes them, and each overrides its environment variable and
 * profile field (src/settings/resolve.ts). GlobalFlags, their parsed form, is inferred from here.
 */
import { choice, flag, type OptionsOf, value } from '../core/options.js';
import { OUTPUT_FORMATS } from './output.js';

export const GLOBAL_OPTIONS = [
  value('-p, --profile <name>', 'profile to use (env HSS_PROFILE)'),
  value(
    '-r, --region <region>',
    'region, e.g. cn-north-4; for task list also a comma list, or all (env HSS_REGION)',
  ),
  flag('--all-projects', 'with --region: every project of each region, sub-projects too'),
  value('--project-id <id>', 'project ID (env HSS_PROJECT_ID)'),
  value(
    '-e, --enterprise-project <id>',
    'enterprise project ID or all_granted_eps (env HSS_ENTERPRISE_PROJECT_ID)',
  ),
  value('--endpoint <url>', 'HSS endpoint URL (env HSS_ENDPOINT)'),
  value('--iam-endpoint <url>', 'IAM endpoint URL (env HSS_IAM_ENDPOINT)'),
  flag('--token-stdin', 'read an X-Auth-Token from standard input (env HSS_TOKEN)', {
    secretStdin: {
      secret: 'the token',
      hint: 'printf %s "$TOKEN" | hss … --token-stdin, or set HSS_TOKEN',
    },
  }),
  choice('-o, --output <format>', 'output format (env HSS_OUTPUT)', OUTPUT_FORMATS),
  flag('--json', 'same as --output json'),
  value(
    '--query <jmespath>',
    'print what a JMESPath expression selects of the JSON document, as aws --query: JSON, or with -o text scalars raw, one a line',
  ),
  flag(
    '-q, --quiet',
    'print only errors; but a list prints its IDs, one a line (task list: tasks, task show: clusters, profile list: names); with -o json|yaml, the document',
  ),
  flag(
    '--no-pager',
    'never page output longer than the terminal (env HSS_PAGER, else PAGER; default less -FRX)',
  ),
  flag('--no-color', 'no colour (env NO_COLOR)'),
  flag('--debug', 'trace HTTP exchanges to stderr, secrets masked (env HSS_DEBUG=1)'),
  value('--timeout <duration>', 'per-request timeout, default 30s (env HSS_TIMEOUT)'),
  value('--max-attempts <n>', 'attempts for retryable failures; 1 disables retries (env HSS_MAX_ATTEMPTS)'),
  value(
    '--ca-bundle <file>',
    'extra PEM CA certificates, added to the system roots and NODE_EXTRA_CA_CERTS (env HSS_CA_BUNDLE)',
  ),
] as const;

/** The global options as commander hands them over. */
export type GlobalFlags = OptionsOf<typeof GLOBAL_OPTIONS>;
