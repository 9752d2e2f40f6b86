import { defineGroup } from '../define.js';
import * as login from './login/command.js';
import * as logout from './logout/command.js';
import * as status from './status/command.js';

export const group = defineGroup({
  name: 'auth',
  description: 'log in with an IAM user, see which credential is in use',
  examples: [
    'hss -p prod auth login --user alice --domain acme',
    'hss -p prod auth status',
    'hss -p prod auth logout',
  ],
  commands: [login, status, logout],
});
