import { choice, defineCommand, type Loader, value } from '../../define.js';

export const spec = defineCommand({
  name: 'stats',
  description: 'tasks in all, running, and when the latest was created (ShowTaskStatistics)',
  options: [
    choice(
      '--type <task_type>',
      'cluster_scan (default) or iac_scan (Dockerfile and Kubernetes YAML scans)',
      ['cluster_scan', 'iac_scan'] as const,
    ),
    value('--concurrency <n>', 'with several regions or --all-projects: projects read at once (default 4)'),
  ],
  examples: [
    'hss task stats',
    'hss task stats --type iac_scan',
    'hss task stats --json | jq .running_num',
    'hss task stats --region all',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
