import { defineGroup } from '../define.js';
import * as show from './show/command.js';

export const group = defineGroup({
  name: 'config',
  description: 'resolved settings',
  examples: ['hss config show'],
  commands: [show],
});
