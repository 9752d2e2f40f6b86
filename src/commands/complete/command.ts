import { arg, defineCommand, type Loader } from '../define.js';

/** What the completion scripts ask at TAB time (profile names); not for people. */
export const spec = defineCommand({
  name: '__complete',
  hidden: true,
  arguments: [arg('<kind>', '')],
  description: '',
});

export const load: Loader<typeof spec> = () => import('./index.js');
