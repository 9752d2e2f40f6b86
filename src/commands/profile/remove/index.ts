/**
 * `hss profile remove <name>`: deletes a profile, and its cached login and command output with it.
 */
import { forgetCached } from '../../../auth/cache.js';
import type { Handler } from '../../define.js';
import { checkName, requireProfile } from '../shared.js';
import type { spec } from './command.js';

/** What `profile remove --json` prints. */
export interface ProfileRemoveDocument {
  ok: true;
  removed: string;
  was_current: boolean;
}

const profileRemove: Handler<typeof spec> = async ({ args }, ctx) => {
  const name = checkName(args.name);
  let wasCurrent = false;
  await ctx.updateStore((store) => {
    requireProfile(store, name);
    delete store.profiles[name];
    if (store.current === name) {
      wasCurrent = true;
      delete store.current;
    }
  });
  // Its cached login and command output go with it: a profile created later under the same name
  // must not inherit someone's token.
  await forgetCached(ctx, name);
  const data: ProfileRemoveDocument = { ok: true, removed: name, was_current: wasCurrent };
  return {
    data,
    text: (s) =>
      `${s.green('✔')} profile ${s.bold(name)} removed${wasCurrent ? '; no profile is current now' : ''}`,
    exitCode: 0,
  };
};
export default profileRemove;
