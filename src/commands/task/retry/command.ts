import { SCAN_TYPES } from '../../../core/vocabulary.js';
import { arg, defineCommand, flag, type Loader, list, value } from '../../define.js';

export const spec = defineCommand({
  name: 'retry',
  description: 're-run failed cluster scans of one or more tasks (RetryTask)',
  arguments: [
    arg('<task_id...>', 'task IDs; "-" reads them from standard input (separated by spaces or lines)'),
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
  ],
  examples: [
    'hss task retry task-0001 --all-failed',
    'hss task retry task-0001 --all-failed --wait --wait-timeout 1h',
    'hss task retry task-0001 --all-failed --only benchmark',
    'hss task retry task-0001 --cluster cce-prod-01 --cluster cce-prod-02:benchmark',
    'hss task retry task-0001 --cluster-file failed-clusters.txt',
    'hss task list --since 12h --json | jq -r ".tasks[].task_id" | hss task retry - --all-failed --wait',
    'hss task retry task-0001 --all-failed --dry-run',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
