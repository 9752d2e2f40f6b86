import { defineGroup } from '../define.js';
import * as copy from './copy/command.js';
import * as list from './list/command.js';
import * as remove from './remove/command.js';
import * as rename from './rename/command.js';
import * as set from './set/command.js';
import * as show from './show/command.js';
import * as use from './use/command.js';

export const group = defineGroup({
  name: 'profile',
  description: 'named sets of settings and credentials',
  examples: [
    'hss profile set prod --region cn-north-4 --project-id 0123456789abcdef0123456789abcdef --use',
    'hss profile list',
    'hss --profile prod task retry task-0001 --all-failed',
  ],
  commands: [set, list, show, use, rename, copy, remove],
});
