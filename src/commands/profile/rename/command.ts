import { arg, defineCommand, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'rename',
  aliases: ['mv'],
  description: 'give a profile a new name; its cached login, and being current, go with it',
  arguments: [arg('<old>', 'profile name now'), arg('<new>', 'new profile name (not taken yet)')],
  examples: ['hss profile rename test staging'],
});

export const load: Loader<typeof spec> = () => import('./index.js');
