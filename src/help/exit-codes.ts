/**
 * The exit codes of the contract, with what each means and examples: `hss help exit-codes`,
 * docs/exit-codes.md and the JSON error documents read them.
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
