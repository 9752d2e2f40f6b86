import { defineCommand, flag, type Loader, value } from '../../define.js';

export const spec = defineCommand({
  name: 'status',
  description:
    'which credential is in use (source, who, project, expiry; never the secret), checked with one cheap call',
  options: [
    flag('--offline', 'send nothing: say which credential is in use without checking it'),
    value(
      '--concurrency <n>',
      'with several regions or --all-projects: projects checked at once (default 4)',
    ),
  ],
  examples: [
    'hss auth status                    # exit 4 when the API refuses the credential',
    'hss auth status --offline',
    'hss auth status --region all --all-projects   # every project the morning job would reach',
    'hss -p prod auth status --json | jq -r .expires_at',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
