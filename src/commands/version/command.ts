import { defineCommand, type Loader } from '../define.js';

export const spec = defineCommand({
  name: 'version',
  description: 'the version of hss, Node.js and the platform, and the build (for bug reports)',
  examples: ['hss version', 'hss version --json | jq -r .version'],
});

export const load: Loader<typeof spec> = () => import('./index.js');
