import { arg, defineCommand, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'remove',
  aliases: ['rm', 'delete'],
  description: 'delete a profile',
  arguments: [arg('<name>', 'profile name')],
  examples: ['hss profile remove old-test', 'hss profile rm old-test', 'hss profile delete old-test'],
});

export const load: Loader<typeof spec> = () => import('./index.js');
