import { TASK_STATUSES, TRIGGER_TYPES } from '../../../core/vocabulary.js';
import { choice, defineCommand, flag, type Loader, value } from '../../define.js';

export const spec = defineCommand({
  name: 'list',
  description: 'list cluster-scan tasks (or IaC scan tasks), newest first (ListTasks)',
  options: [
    choice('--status <status>', 'only tasks in this state', TASK_STATUSES),
    value('--name <text>', 'only tasks whose name contains this text (any case)'),
    choice('--trigger <type>', 'only tasks started this way', TRIGGER_TYPES),
    value('--since <duration|date>', 'only tasks started since: 12h, 2d, 2026-11-26 or 2026-11-26T20:00'),
    value('--limit <n>', 'show at most this many tasks (default 20)'),
    flag('--all', 'every matching task, read 200 a page'),
    value('--concurrency <n>', 'with several regions or --all-projects: projects read at once (default 4)'),
    choice(
      '--type <task_type>',
      'cluster_scan (default) or iac_scan (Dockerfile and Kubernetes YAML scans)',
      ['cluster_scan', 'iac_scan'] as const,
    ),
  ],
  examples: [
    'hss task list',
    'hss task list --status finished --trigger schedule --since 12h',
    'hss task list --region all --status finished --since 12h',
    'hss task list --region cn-north-4,cn-east-3 --all-projects',
    'hss task list --type iac_scan',
    'hss task list --name nightly --all --json | jq -r ".tasks[] | select(.cluster_scan_info.failed_cluster_num > 0) | .task_id"',
    "hss task list --all --query 'tasks[?cluster_scan_info.failed_cluster_num > `0`].[task_id, task_name]' -o text",
    'hss task list --status running -q',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
