import { choice, defineCommand, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'stats',
  description: 'tasks in all, running, and when the latest was created (ShowTaskStatistics)',
  options: [
    choice(
      '--type <task_type>',
      'cluster_scan (default) or iac_scan (Dockerfile and Kubernetes YAML scans)',
      ['cluster_scan', 'iac_scan'] as const,
    ),
  ],
  examples: ['hss task stats', 'hss task stats --type iac_scan', 'hss task stats --json | jq .running_num'],
});

export const load: Loader<typeof spec> = () => import('./index.js');
