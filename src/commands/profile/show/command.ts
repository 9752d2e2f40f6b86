import { arg, defineCommand, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'show',
  description: 'show a profile (secrets masked)',
  arguments: [arg('[name]', 'profile name (default: the one in use)')],
  examples: ['hss profile show', 'hss profile show prod --json'],
});

export const load: Loader<typeof spec> = () => import('./index.js');
