import { AUTH_KINDS } from '../../../core/vocabulary.js';
import { arg, choice, defineCommand, flag, type Loader, list, value } from '../../define.js';

export const spec = defineCommand({
  name: 'set',
  description: 'create or update a profile; global options given here (--region, --project-id, …) are saved',
  arguments: [arg('<name>', 'profile name')],
  options: [
    choice('--auth <kind>', 'credential kind the profile uses', AUTH_KINDS),
    value('--ak <ak>', 'access key ID (the secret key comes from --sk-stdin)'),
    flag('--sk-stdin', 'read the secret access key from standard input', {
      secretStdin: {
        secret: 'the secret key',
        hint: 'printf %s "$HUAWEICLOUD_SDK_SK" | hss profile set NAME --ak AK --sk-stdin',
      },
    }),
    value('--user <name>', 'IAM user name for `hss auth login`'),
    value('--domain <account>', 'account (domain) name for `hss auth login`'),
    value('--credential-command <cmd>', 'command whose output is a token or key pair'),
    flag('--use', 'make it the current profile'),
    list('--unset <field>', 'remove a field from the profile (repeatable)'),
  ],
  examples: [
    'hss profile set prod --region cn-north-4 --project-id 0123456789abcdef0123456789abcdef --use',
    'printf %s "$TOKEN" | hss profile set prod --token-stdin',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
