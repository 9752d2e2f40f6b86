import { defineCommand, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'show',
  description: 'every resolved setting and where it came from',
  examples: [
    'hss config show',
    'hss --profile prod config show --json',
    'HSS_REGION=cn-east-3 hss config show',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
