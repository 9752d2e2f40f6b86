import { defineCommand, flag, type Loader, value } from '../../define.js';

export const spec = defineCommand({
  name: 'login',
  description:
    "IAM password login: cache a token scoped to the profile's region (the password is never stored)",
  options: [
    value('--user <name>', "IAM user name (default: the profile's)"),
    value('--domain <account>', "account (domain) name (default: the profile's)"),
    flag('--password-stdin', 'read the password from standard input (else a prompt on a terminal)', {
      secretStdin: {
        secret: 'the password',
        hint: 'leave out --password-stdin to be asked for it (hidden), or pipe it: printf %s "$HSS_PASSWORD" | hss auth login --password-stdin',
      },
    }),
  ],
  examples: [
    'hss -p prod auth login --user alice --domain acme          # prompts for the password',
    'printf %s "$HSS_PASSWORD" | hss -p prod auth login --password-stdin',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
