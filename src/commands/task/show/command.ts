import { arg, defineCommand, flag, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'show',
  description: "a task's summary and per-cluster results with failed reasons (ListTaskResources)",
  arguments: [arg('<task_id>', 'task ID')],
  options: [flag('--failed', 'only the clusters (of an IaC scan task: the files) that failed')],
  examples: [
    'hss task show task-0001',
    'hss task show task-0001 --failed',
    'hss task show task-0901   # an IaC scan task: its files',
    'hss task show task-0001 --failed --json | jq -r ".clusters[].cluster_id"',
    'hss task show task-0001 --failed -q',
    'hss task show task-0001 -o yaml',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
