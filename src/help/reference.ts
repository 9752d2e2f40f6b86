/**
 * Reference data of the contract that is not in the commander tree: exit codes and environment
 * variables. `hss help exit-codes`, `hss help environment` and the generated docs all read it, so the
 * three never disagree. Kept free of zod and other heavy imports: `hss help` must start fast.
 */

export interface ExitCodeEntry {
  code: number;
  /** The `error.code` strings of the JSON error document that come with this exit code. */
  errors: string[];
  title: string;
  meaning: string;
  examples: string[];
}

export const EXIT_CODES: readonly ExitCodeEntry[] = [
  {
    code: 0,
    errors: [],
    title: 'success',
    meaning: 'Everything asked for was done.',
    examples: [
      '`hss task retry task-0001 --all-failed`: the API accepted the retry',
      '`hss task retry … --dry-run`: the request was printed, nothing was sent',
    ],
  },
  {
    code: 1,
    errors: ['INTERNAL'],
    title: 'internal error',
    meaning:
      'An unexpected error: a bug in hss. The message says where to report it; the stack trace is shown with `--debug`. Also a result that could not be written to standard output (a full disk), as for any Unix tool; a reader that goes away early (`| head`) is not an error.',
    examples: ['an exception hss did not expect', '`hss task list > /dev/full`'],
  },
  {
    code: 2,
    errors: ['USAGE'],
    title: 'usage',
    meaning:
      "Unknown flag, missing or malformed argument, or a value outside the API's limits. Nothing was sent.",
    examples: [
      '`hss task retry task-0001` with none of --all-failed, --cluster, --cluster-file',
      'a cluster ID longer than 64 characters, or an unknown scan type',
      '`--timeout 5x`, `--output yaml`, an endpoint that is not https',
    ],
  },
  {
    code: 3,
    errors: ['CONFIG'],
    title: 'configuration',
    meaning:
      'No project ID or region, no credentials, an unknown profile, or an unreadable or corrupt profile store.',
    examples: [
      'no --region, HSS_REGION or profile region',
      '`--profile prod` when there is no profile prod',
      'a profile store that is not valid JSON',
    ],
  },
  {
    code: 4,
    errors: ['AUTH'],
    title: 'authentication or permission',
    meaning: 'HTTP 401 or 403, an expired token, or a credential command that failed.',
    examples: [
      'an expired X-Auth-Token (HTTP 401)',
      'a user without HSS permissions in the project (HTTP 403)',
    ],
  },
  {
    code: 5,
    errors: ['API'],
    title: 'refused by the API',
    meaning:
      'The API refused the request with another 4xx answer, or gave an answer hss cannot use: JSON of another shape or nested too deep, a body over 16 MiB, a listing larger than hss holds, a task status that is none of ready, running, finished.',
    examples: [
      'an unknown task ID',
      'a task that is still running (HSS.1301)',
      'nothing to retry (HSS.1302)',
      '`task wait` on a task whose status stays one hss does not know',
    ],
  },
  {
    code: 6,
    errors: ['UNAVAILABLE', 'TIMEOUT'],
    title: 'service unavailable',
    meaning:
      'HTTP 5xx or 429, a network error or a timeout, after every allowed attempt (--max-attempts); or an unexpected answer: a 2xx whose body should be JSON and is not (a web page from a proxy or a portal, an empty body).',
    examples: [
      'HTTP 503 on every attempt',
      'connection refused or reset',
      'no answer within --timeout',
      'HTTP 200 with an HTML page instead of the task list',
    ],
  },
  {
    code: 7,
    errors: ['WAIT_FAILED'],
    title: 'task failed',
    meaning: '`--wait` or `hss task wait`: the task finished with failed clusters.',
    examples: ['a retried cluster failed again'],
  },
  {
    code: 8,
    errors: ['WAIT_TIMEOUT'],
    title: 'wait timed out',
    meaning: '`--wait` or `hss task wait`: gave up after --wait-timeout.',
    examples: ['the task was still running after 30 minutes'],
  },
  {
    code: 130,
    errors: ['INTERRUPTED'],
    title: 'interrupted',
    meaning: 'Interrupted by Ctrl-C (SIGINT).',
    examples: ['Ctrl-C during `--wait`'],
  },
  {
    code: 143,
    errors: ['INTERRUPTED'],
    title: 'terminated',
    meaning: 'Stopped by SIGTERM.',
    examples: ['a CI job cancelled while hss was running'],
  },
];

export const EXIT_CODE_NOTES: readonly string[] = [
  "With several task IDs in one call, the exit code is the highest of the tasks'.",
  'With --json, stdout holds one JSON document even on failure; its `error.code` and `error.exit_code` are the columns above.',
];

export interface EnvironmentEntry {
  names: string[];
  /** The flag that sets the same thing, when there is one. */
  option?: string;
  meaning: string;
}

export interface EnvironmentGroup {
  title: string;
  entries: EnvironmentEntry[];
}

export const ENVIRONMENT: readonly EnvironmentGroup[] = [
  {
    title: 'Target',
    entries: [
      {
        names: ['HSS_PROFILE'],
        option: '-p, --profile',
        meaning: "profile to use; else the store's current profile, else `default`",
      },
      { names: ['HSS_REGION'], option: '-r, --region', meaning: 'region, e.g. cn-north-4' },
      {
        names: ['HSS_PROJECT_ID', 'HUAWEICLOUD_SDK_PROJECT_ID'],
        option: '--project-id',
        meaning: 'project ID (1–256 characters)',
      },
      {
        names: ['HSS_ENTERPRISE_PROJECT_ID'],
        option: '-e, --enterprise-project',
        meaning: 'enterprise project ID, or all_granted_eps',
      },
      {
        names: ['HSS_ENDPOINT'],
        option: '--endpoint',
        meaning: 'HSS base URL; default https://hss.{region}.myhuaweicloud.com',
      },
      {
        names: ['HSS_IAM_ENDPOINT', 'HUAWEICLOUD_SDK_IAM_ENDPOINT'],
        option: '--iam-endpoint',
        meaning: 'IAM base URL; default https://iam.myhuaweicloud.com',
      },
    ],
  },
  {
    title: 'Credentials',
    entries: [
      { names: ['HSS_TOKEN'], option: '--token-stdin', meaning: 'X-Auth-Token' },
      {
        names: ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN'],
        meaning: 'access key, secret key and security token for AK/SK signing',
      },
      {
        names: ['HSS_CREDENTIAL_COMMAND_TIMEOUT'],
        meaning: "how long a profile's credential command may run; default 30s",
      },
    ],
  },
  {
    title: 'Requests',
    entries: [
      { names: ['HSS_TIMEOUT'], option: '--timeout', meaning: 'per-request timeout; default 30s' },
      {
        names: ['HSS_MAX_ATTEMPTS'],
        option: '--max-attempts',
        meaning: 'attempts for retryable failures; default 3, 1 disables retries',
      },
      {
        names: ['HSS_CA_BUNDLE'],
        option: '--ca-bundle',
        meaning: 'extra PEM CAs, added to the system roots and NODE_EXTRA_CA_CERTS',
      },
      {
        names: ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'],
        meaning: 'proxy settings (upper or lower case), honoured by every request',
      },
      {
        names: ['NODE_EXTRA_CA_CERTS'],
        meaning: 'extra PEM CAs read by Node.js; hss keeps them when --ca-bundle adds more',
      },
      {
        names: ['NODE_TLS_REJECT_UNAUTHORIZED'],
        meaning: 'ignored: hss always checks certificates; add a CA with --ca-bundle instead',
      },
    ],
  },
  {
    title: 'Output',
    entries: [
      { names: ['HSS_OUTPUT'], option: '-o, --output', meaning: 'output format: text (default) or json' },
      {
        names: ['HSS_DEBUG'],
        option: '--debug',
        meaning: '1: HTTP exchanges to stderr, every secret masked',
      },
      { names: ['NO_COLOR'], option: '--no-color', meaning: 'set and not empty: no colour' },
      {
        names: ['FORCE_COLOR'],
        meaning: 'colour even when the output is not a terminal; 0 or false: never (NO_COLOR wins)',
      },
      { names: ['CI'], meaning: 'set (and not 0 or false): no colour, no spinners' },
      { names: ['TERM'], meaning: '`dumb`: no colour, no spinners' },
    ],
  },
  {
    title: 'Files',
    entries: [
      {
        names: ['HSS_CONFIG_DIR'],
        meaning: 'folder of the profile store and credential cache; default $XDG_CONFIG_HOME/hss',
      },
      {
        names: ['XDG_CONFIG_HOME'],
        meaning: 'base of the default config folder; default ~/.config (%APPDATA% on Windows)',
      },
      {
        names: ['HSS_COMPILE_CACHE'],
        meaning:
          'folder of compiled code kept between runs, for start-up speed; 0, false or off: none; default $XDG_CACHE_HOME/hss/compile (~/Library/Caches/hss/compile on macOS, %LOCALAPPDATA%\\hss\\Cache\\compile on Windows)',
      },
      {
        names: ['XDG_CACHE_HOME'],
        meaning: 'base of the default compile cache folder; default ~/.cache',
      },
      {
        names: ['NODE_DISABLE_COMPILE_CACHE'],
        meaning: "1: no compiled code kept between runs, as for Node's own compile cache",
      },
    ],
  },
];

export const ENVIRONMENT_NOTES: readonly string[] = [
  'Precedence for every setting: flag > environment > profile > default.',
  "An explicit --profile (or HSS_PROFILE) makes that profile's credentials win over credential variables.",
  'No secret is ever taken from a flag value: secrets come from standard input, the environment, a credential command or the store.',
];

export interface HelpTopic {
  name: string;
  summary: string;
}

export const HELP_TOPICS: readonly HelpTopic[] = [
  { name: 'exit-codes', summary: 'what each exit code means' },
  { name: 'environment', summary: 'environment variables hss reads' },
];

/** A plain-text table: columns padded, the last one wrapped under itself when too long. */
function textTable(rows: string[][], width: number): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  const indent = widths.reduce((sum, w) => sum + w + 2, 0);
  const room = Math.max(30, width - indent);
  return rows
    .map((row) => {
      const lead = row
        .slice(0, -1)
        .map((cell, i) => cell.padEnd((widths[i] ?? 0) + 2))
        .join('');
      const lines = wrap(row[row.length - 1] ?? '', room);
      return [lead + (lines[0] ?? ''), ...lines.slice(1).map((l) => ' '.repeat(indent) + l)]
        .join('\n')
        .trimEnd();
    })
    .join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const plain = (text: string) => text.replace(/`/g, '');

export function exitCodesText(width = 80): string {
  const rows = [['CODE', 'ERROR', 'MEANING']];
  for (const e of EXIT_CODES) {
    rows.push([String(e.code), e.errors.join(', ') || '-', plain(e.meaning)]);
  }
  const examples = textTable(
    EXIT_CODES.map((e) => [`  ${e.code}`, e.examples.map(plain).join('; ')]),
    width,
  );
  return `${textTable(rows, width)}\n\nExamples:\n${examples}\n\n${EXIT_CODE_NOTES.map(plain).join('\n')}\n`;
}

export function environmentText(width = 80): string {
  const sections = ENVIRONMENT.map((group) => {
    const rows: string[][] = [];
    for (const entry of group.entries) {
      entry.names.forEach((name, i) => {
        rows.push([`  ${name}`, i === 0 ? (entry.option ?? '') : '', i === 0 ? plain(entry.meaning) : '']);
      });
    }
    return `${group.title}:\n${textTable(rows, width)}`;
  });
  return `${sections.join('\n\n')}\n\n${ENVIRONMENT_NOTES.map(plain).join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function exitCodesMarkdown(): string {
  const lines = [
    '# Exit codes',
    '',
    '<!-- Generated by `npm run docs` from src/help/reference.ts: edit that file, not this one. -->',
    '',
    'Every `hss` command exits with one of these codes; scripts and CI can rely on them.',
    '`hss help exit-codes` prints the same table. With `--json`, the error document carries the',
    'code as `error.exit_code` and the name in the second column as `error.code`.',
    '',
    '| code | `error.code` | meaning |',
    '|---|---|---|',
    ...EXIT_CODES.map(
      (e) =>
        `| ${e.code} | ${e.errors.map((c) => `\`${c}\``).join(', ')} | **${e.title}**: ${cell(e.meaning)} |`,
    ),
    '',
    ...EXIT_CODE_NOTES.map((n) => `- ${n}`),
    '',
    '## Examples',
    '',
  ];
  for (const e of EXIT_CODES) {
    lines.push(`### ${e.code}: ${e.title}`, '', ...e.examples.map((x) => `- ${x}`), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function environmentMarkdown(level = '##'): string {
  const lines = [`${level} Environment`, '', '`hss help environment` prints the same list.', ''];
  for (const group of ENVIRONMENT) {
    lines.push(`${level}# ${group.title}`, '', '| variable | flag | meaning |', '|---|---|---|');
    for (const entry of group.entries) {
      const names = entry.names.map((n) => `\`${n}\``).join(', ');
      const option = entry.option ? `\`${entry.option}\`` : '';
      lines.push(`| ${names} | ${option} | ${cell(entry.meaning)} |`);
    }
    lines.push('');
  }
  lines.push(...ENVIRONMENT_NOTES.map((n) => `- ${n}`), '');
  return lines.join('\n');
}
