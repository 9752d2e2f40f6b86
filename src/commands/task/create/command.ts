import { SCAN_TYPES } from '../../../core/vocabulary.js';
import { defineCommand, flag, type Loader, list, value } from '../../define.js';

export const spec = defineCommand({
  name: 'create',
  description: 'start a new cluster scan of every cluster or of the ones named (CreateTask)',
  options: [
    flag('--all-clusters', 'scan every cluster of the project (range_type all_cluster)'),
    list('--cluster <id>', 'scan this cluster (repeatable; range_type specific_cluster, 1–200 clusters)'),
    value('--scan-types <type,...>', `required: what to scan, 1–3 of ${SCAN_TYPES.join(', ')}`),
    flag('--dry-run', 'print the request that would be sent (secrets masked); send nothing'),
    flag('--wait', 'follow the new task until it has finished (exit 7: clusters failed)'),
    value('--wait-timeout <duration>', 'with --wait: give up after this long, exit 8 (default 30m)'),
    value('--interval <duration>', 'with --wait: time between polls (default 10s)'),
  ],
  examples: [
    'hss task create --all-clusters --scan-types cluster_vul,risk_assessment,benchmark',
    'hss task create --cluster cce-prod-01 --cluster cce-prod-02 --scan-types benchmark --wait',
    'hss task create --all-clusters --scan-types benchmark --json | jq -r .task_id',
    'hss task create --all-clusters --scan-types cluster_vul --dry-run',
  ],
  notes:
    'CreateTask is not repeated automatically once it may have reached the service (after a timeout, a\n' +
    'dropped connection or a 5xx answer): a second request would create a second task. Only a request\n' +
    'that surely never arrived (connection refused, no DNS answer, HTTP 429) is tried again.',
});

export const load: Loader<typeof spec> = () => import('./index.js');
