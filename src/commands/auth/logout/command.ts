import { defineCommand, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'logout',
  description: 'remove the cached login (and cached credential command output) of the profile',
  examples: ['hss -p prod auth logout'],
});

export const load: Loader<typeof spec> = () => import('./index.js');
