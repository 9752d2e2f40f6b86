import { defineCommand, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'list',
  description: 'list profiles',
  examples: ['hss profile list', 'hss profile list --json | jq -r ".profiles[].name"'],
});

export const load: Loader<typeof spec> = () => import('./index.js');
