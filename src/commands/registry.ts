/**
 * Every command of `hss`, in the order help lists them: a group (a folder of commands) or a command
 * folder. A new command is a folder with its `command.ts` and `index.ts`, listed in its group's
 * `command.ts` (or here, for a top-level command).
 */
import * as api from './api/command.js';
import { group as auth } from './auth/command.js';
import * as complete from './complete/command.js';
import * as completion from './completion/command.js';
import { group as config } from './config/command.js';
import * as configure from './configure/command.js';
import type { CommandModule, GroupSpec } from './define.js';
import * as help from './help/command.js';
import { group as profile } from './profile/command.js';
import * as sandbox from './sandbox/command.js';
import { group as task } from './task/command.js';
import * as version from './version/command.js';

export const COMMANDS: readonly (GroupSpec | CommandModule)[] = [
  task,
  api,
  auth,
  configure,
  profile,
  config,
  sandbox,
  completion,
  version,
  complete,
  help,
];
