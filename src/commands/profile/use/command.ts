import { arg, defineCommand, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'use',
  description: 'make a profile the current one',
  arguments: [arg('<name>', 'profile name')],
  examples: ['hss profile use prod'],
});

export const load: Loader<typeof spec> = () => import('./index.js');
