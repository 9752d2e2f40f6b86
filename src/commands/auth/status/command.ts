import { defineCommand, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'status',
  description: 'which credential is in use: source, who, project, expiry (never the secret)',
  examples: ['hss auth status', 'hss -p prod auth status --json | jq -r .expires_at'],
});

export const load: Loader<typeof spec> = () => import('./index.js');
