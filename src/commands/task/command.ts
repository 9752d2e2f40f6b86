import { defineGroup } from '../define.js';
import * as create from './create/command.js';
import * as list from './list/command.js';
import * as retry from './retry/command.js';
import * as show from './show/command.js';
import * as stats from './stats/command.js';
import * as wait from './wait/command.js';

export const group = defineGroup({
  name: 'task',
  description: 'cluster-scan and IaC scan tasks',
  examples: ['hss task retry task-0001 --all-failed', 'hss help task retry'],
  commands: [retry, list, show, wait, create, stats],
});
