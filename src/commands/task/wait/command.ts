import { arg, defineCommand, type Loader, value } from '../../define.js';

export const spec = defineCommand({
  name: 'wait',
  description: 'follow a task until it has finished: exit 0, 7 when clusters failed, 8 after --wait-timeout',
  arguments: [arg('<task_id>', 'task ID')],
  options: [
    value('--wait-timeout <duration>', 'give up after this long, exit 8 (default 30m)'),
    value('--interval <duration>', 'time between polls (default 10s)'),
  ],
  examples: [
    'hss task wait task-0001',
    'hss task wait task-0001 --wait-timeout 1h --interval 30s',
    'hss task wait task-0001 -q; echo "exit $?"   # 0 done, 7 clusters failed, 8 gave up',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
