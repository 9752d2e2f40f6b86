import { defineCommand, flag, type Loader, list, value } from '../define.js';

export const spec = defineCommand({
  name: 'sandbox',
  description: 'run a local emulator of the HSS task APIs and IAM (no cloud account needed)',
  options: [
    value('--host <host>', 'address to listen on', { defaultValue: '127.0.0.1' }),
    value('--port <n>', 'port; 0 picks a free one', { defaultValue: '8443' }),
    value('--save-profile <name>', 'write a profile pointing at the sandbox'),
    flag('--force', 'with --save-profile: overwrite a profile that does not point at a sandbox'),
    list(
      '--fault <spec>',
      'inject a fault: 503x2, 429x1, reset, hang, badjson, slow:2000; @retry, @list, … one operation, @cn-east-3 one project (repeatable)',
    ),
    value('--latency <ms>', 'delay every answer by this many milliseconds'),
    value('--progress <duration>', 'how long a retried task runs before it finishes', { defaultValue: '5s' }),
    value('--token-ttl <duration>', 'lifetime of tokens its IAM login issues', { defaultValue: '24h' }),
  ],
  examples: [
    'hss sandbox --port 0 --save-profile sandbox',
    'hss sandbox --fault 503x2 --fault slow:500',
    'hss sandbox --fault 503x99@list@cn-east-3   # one region failing, the others answering',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
