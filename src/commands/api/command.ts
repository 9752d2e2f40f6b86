import { arg, defineCommand, flag, type Loader, list, value } from '../define.js';

export const spec = defineCommand({
  name: 'api',
  description:
    'any HSS (or, with --iam, IAM) API call, signed, retried and error-mapped like every command; prints the answer',
  arguments: [
    arg('<method>', 'GET, POST, PUT, DELETE or PATCH'),
    arg('<path>', 'the path after the endpoint, e.g. /v5/{project_id}/common/task-statistics'),
  ],
  options: [
    list('--param <name=value>', 'a query parameter, percent-encoded; repeatable'),
    value(
      '--body <json|@file|->',
      'the JSON request body: given as is, read from a file (@file), or from standard input (-)',
    ),
    flag('--iam', 'call the IAM endpoint (--iam-endpoint) instead of HSS'),
    flag('--dry-run', 'print the request that would be sent (secrets masked); send nothing'),
  ],
  examples: [
    'hss api GET /v5/{project_id}/common/task-statistics --param task_type=cluster_scan',
    `hss api POST /v5/{project_id}/common/tasks/batch-query --param limit=10 --body '{"task_type":"cluster_scan"}'`,
    'hss api GET /v3/auth/projects --iam',
    'hss api PUT /v5/{project_id}/common/tasks/task-0001/retry --body @retry.json --dry-run',
  ],
  notes: `{project_id} in the path is the project ID of the profile (or looked up from the region), as for
every command. The answer is printed as JSON; an error answer exits as any command does (4 for
401/403, 5 for other 4xx, 6 for 5xx and network failures). Failures that may be transient (a
connection error, a timeout, 429, 500, 502, 503, 504) are retried up to --max-attempts times for
every method, PUT and POST included, as every command retries: a POST that creates something may
then run twice; pass --max-attempts 1 to send such a call once.`,
});

export const load: Loader<typeof spec> = () => import('./index.js');
