import { SCAN_TYPES, TRIGGER_TYPES } from '../../../core/vocabulary.js';
import { arg, choice, defineCommand, flag, type Loader, list, value } from '../../define.js';

export const spec = defineCommand({
  name: 'retry',
  description: 're-run failed cluster scans of one or more tasks (RetryTask)',
  arguments: [
    arg(
      '[task_id...]',
      'task IDs; "-" reads them from standard input (separated by spaces or lines); or use --since',
    ),
  ],
  options: [
    flag('--all-failed', 'retry every cluster of the task that failed (range_type all_failed_cluster)'),
    list(
      '--cluster <id[:type,type]>',
      `retry this cluster (repeatable); types: ${SCAN_TYPES.join(', ')}; none = every failed scan item`,
    ),
    value('--cluster-file <file|->', 'cluster specs, one id[:types] a line (# comments, blank lines ok)'),
    value(
      '--only <type,...>',
      `with --all-failed: rescan only these scan types where they failed (${SCAN_TYPES.join(', ')})`,
    ),
    flag('--dry-run', 'print the request that would be sent (secrets masked); send nothing'),
    flag('--wait', 'after the retry, follow the task until it has finished (exit 7: clusters failed)'),
    value('--wait-timeout <duration>', 'with --wait: give up after this long, exit 8 (default 30m)'),
    value('--interval <duration>', 'with --wait: time between polls (default 10s)'),
    value('--concurrency <n>', 'tasks retried at once when several are given (default 4)'),
    value(
      '--since <duration|date>',
      'with no task ID: every finished task started since then with failed clusters (12h, 2026-11-26)',
    ),
    value('--name <text>', 'with --since: only tasks whose name contains this text (any case)'),
    choice('--trigger <type>', 'with --since: only tasks started this way', TRIGGER_TYPES),
    value('--rounds <n>', 'with --wait: retry again what still fails, up to n rounds in all (default 1)'),
    value('--junit <file>', 'with --wait: write a JUnit XML report of the clusters followed'),
    value('--summary <file>', 'with --wait: append a Markdown summary (e.g. "$GITHUB_STEP_SUMMARY")'),
  ],
  examples: [
    'hss task retry task-0001 --all-failed',
    'hss task retry task-0001 --all-failed --wait --wait-timeout 1h',
    'hss task retry task-0001 --all-failed --only benchmark',
    'hss task retry task-0001 --cluster cce-prod-01 --cluster cce-prod-02:benchmark',
    'hss task retry task-0001 --cluster-file failed-clusters.txt',
    'hss task list --since 12h --json | jq -r ".tasks[].task_id" | hss task retry - --all-failed --wait',
    'hss task retry task-0001 --all-failed --dry-run',
    'hss task retry --since 12h --all-failed --dry-run',
    'hss task retry --since 12h --all-failed --wait --rounds 2 --junit scans.xml --summary "$GITHUB_STEP_SUMMARY"',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
