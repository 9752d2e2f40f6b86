import { arg, defineCommand, flag, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'remove',
  aliases: ['rm', 'delete'],
  description: 'delete a profile and its cached login (asks first on a terminal)',
  arguments: [arg('<name>', 'profile name')],
  options: [flag('-y, --yes', 'do not ask; needed when standard input is not a terminal')],
  examples: [
    'hss profile remove old-test           # asks: Remove profile "old-test"? [y/N]',
    'hss profile rm old-test --yes',
    'hss profile delete old-test -y',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
