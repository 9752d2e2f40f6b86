/**
 * `hss profile rename <old> <new>`: the profile keeps its place in the list, its fields and, when it
 * was current, that; its cached login and credential-command output move with it, so a renamed
 * profile is still logged in and a later profile of the old name inherits nothing.
 */
import { moveCached } from '../../../auth/cache.js';
import { UsageError } from '../../../core/errors.js';
import { bareRecord } from '../../../core/json.js';
import { quote } from '../../../core/text.js';
import type { Profile } from '../../../settings/store-schema.js';
import type { Handler } from '../../define.js';
import type { ProfileRenameDocument } from '../../documents.js';
import { checkName, requireFree, requireProfile } from '../shared.js';
import type { spec } from './command.js';

const profileRename: Handler<typeof spec> = async ({ args }, ctx) => {
  const from = checkName(args.old);
  const to = checkName(args.new);
  if (from === to) throw new UsageError(`profile ${quote(from)} already has that name`);
  let current = false;
  await ctx.updateStore((store) => {
    requireProfile(store, from);
    requireFree(store, to, 'rename');
    const profiles = bareRecord<Profile>();
    for (const [name, profile] of Object.entries(store.profiles))
      profiles[name === from ? to : name] = profile;
    store.profiles = profiles;
    if (store.current === from) store.current = to;
    current = store.current === to;
  });
  const moved = await moveCached(ctx, from, to);
  const data: ProfileRenameDocument = {
    ok: true,
    from,
    to,
    current,
    moved_login: moved.login,
    moved_command_output: moved.command,
  };
  const cached = [moved.login ? 'its cached login' : '', moved.command ? 'its cached command output' : '']
    .filter(Boolean)
    .join(' and ');
  return {
    data,
    text: (s) =>
      `${s.green('✔')} profile ${s.bold(from)} renamed to ${s.bold(to)}${current ? ' (the current profile)' : ''}${cached ? `; ${cached} moved with it` : ''}`,
    exitCode: 0,
  };
};
export default profileRename;
