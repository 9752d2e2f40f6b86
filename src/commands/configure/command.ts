import { defineCommand, type Loader } from '../define.js';

export const spec = defineCommand({
  name: 'configure',
  description:
    'on a terminal, a short wizard that writes a profile: region, credential (secret hidden), project looked up, one check',
  examples: ['hss configure                 # asks for the profile name too', 'hss --profile prod configure'],
  notes: `Asks for the region, then an access key pair (the secret key without echo) or an IAM user and
password (a login whose token is cached; the password is never stored), looks the project ID up in
IAM, checks the credential with one ShowTaskStatistics call, and only then writes the profile (the
secret key only in the 0600 profile store). --endpoint and --iam-endpoint given with it are saved
in the profile. Without a terminal it exits 2: use \`hss profile set\` in scripts.`,
});

export const load: Loader<typeof spec> = () => import('./index.js');
