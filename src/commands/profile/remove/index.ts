/**
 * `hss profile remove <name>`: deletes a profile, and its cached login and command output with it.
 * As gh does for what cannot be undone, it asks on a terminal and needs --yes without one.
 */
import { forgetCached } from '../../../auth/cache.js';
import { canPrompt, confirm } from '../../../auth/prompt.js';
import { UsageError } from '../../../core/errors.js';
import { quote } from '../../../core/text.js';
import type { Handler } from '../../define.js';
import type { ProfileRemoveDocument } from '../../documents.js';
import { checkName, requireProfile } from '../shared.js';
import type { spec } from './command.js';

const profileRemove: Handler<typeof spec> = async ({ args, opts }, ctx) => {
  const name = checkName(args.name);
  if (!opts.yes) {
    const profile = requireProfile(ctx.readStore(), name);
    if (!canPrompt(ctx.io)) {
      throw new UsageError(
        `profile remove deletes ${quote(name)} for good, and standard input is not a terminal to ask on`,
        { hint: `pass --yes: \`hss profile remove ${name} --yes\`` },
      );
    }
    const region = profile.region ? ` (region ${profile.region})` : '';
    if (!(await confirm(ctx.io, `Remove profile ${quote(name)}${region}?`))) {
      throw new UsageError(`profile ${quote(name)} was not removed: the answer was not yes`);
    }
  }
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
