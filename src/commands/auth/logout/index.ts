/**
 * `hss auth logout`: drops the profile's cached login and cached credential-command output.
 */
import { forgetCached } from '../../../auth/cache.js';
import type { Handler } from '../../define.js';
import type { spec } from './command.js';

/** What `auth logout --json` prints. */
export interface AuthLogoutDocument {
  ok: true;
  profile: string;
  removed_login: boolean;
  removed_command_output: boolean;
}

const authLogout: Handler<typeof spec> = async (_input, ctx) => {
  const name = ctx.settings().profileName.value;
  const { login: hadLogin, command: hadCommand } = await forgetCached(ctx, name);
  const removed = [
    hadLogin ? 'login' : undefined,
    hadCommand ? 'credential command output' : undefined,
  ].filter((x) => x !== undefined);
  const data: AuthLogoutDocument = {
    ok: true,
    profile: name,
    removed_login: hadLogin,
    removed_command_output: hadCommand,
  };
  return {
    data,
    text: (s) =>
      removed.length
        ? `${s.green('✔')} logged out: removed the cached ${removed.join(' and ')} of profile ${name}`
        : `nothing to remove: profile ${name} has no cached login`,
    exitCode: 0,
  };
};
export default authLogout;
