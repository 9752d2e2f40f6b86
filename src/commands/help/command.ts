import { arg, defineCommand, type Loader } from '../define.js';

export const spec = defineCommand({
  name: 'help',
  description: 'show help for a command, or a help topic: exit-codes, environment',
  arguments: [arg('[command_or_topic...]', 'a command path such as "task retry", or a topic')],
  examples: ['hss help task retry', 'hss help exit-codes', 'hss help environment --json | jq .'],
});

export const load: Loader<typeof spec> = () => import('./index.js');
