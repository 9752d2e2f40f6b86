import { arg, defineCommand, type Loader } from '../../define.js';

export const spec = defineCommand({
  name: 'copy',
  aliases: ['cp'],
  description: "a new profile with another's settings and stored credentials (not its cached login)",
  arguments: [arg('<from>', 'profile to copy'), arg('<to>', 'new profile name (not taken yet)')],
  examples: [
    'hss profile copy prod prod-eu && hss profile set prod-eu --region eu-west-101 --unset project_id',
  ],
});

export const load: Loader<typeof spec> = () => import('./index.js');
