import { arg, defineCommand, type Loader, value } from '../../define.js';

export const spec = defineCommand({
  name: 'wait',
  description:
    'follow tasks until they have finished: exit 0, 7 when clusters failed, 8 after --wait-timeout',
  arguments: [arg('<task_id...>', 'task IDs (several are followed together, one poll for them all)')],
  options: [
    value('--wait-timeout <duration>', 'give up after this long, exit 8 (default 30m)'),
    value('--interval <duration>', 'time between polls (default 10s)'),
    value('--junit <file>', 'write a JUnit XML report of the clusters followed'),
    value('--summary <file>', 'append a Markdown summary (e.g. "$GITHUB_STEP_SUMMARY")'),
  ],
  examples: [
    'hss task wait task-0001',
    'hss task wait task-0001 --wait-timeout 1h --interval 30s',
    'hss task wait task-0001 -q; echo "exit $?"   # 0 done, 7 clusters failed, 8 gave up',
    'hss task wait task-0001 task-0006 --junit scans.xml --summary "$GITHUB_STEP_SUMMARY"',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
