/**
 * `hss profile copy <from> <to>`: a new profile with every field of another, stored credentials
 * included (they stay in the same 0600 store). A cached login is not copied: it belongs to the
 * profile that logged in, and the copy is usually changed (another region) before it is used.
 */
import { forgetCached } from '../../../auth/cache.js';
import type { Handler } from '../../define.js';
import type { ProfileCopyDocument } from '../../documents.js';
import { checkName, requireFree, requireProfile } from '../shared.js';
import type { spec } from './command.js';

const profileCopy: Handler<typeof spec> = async ({ args }, ctx) => {
  const from = checkName(args.from);
  const to = checkName(args.to);
  await ctx.updateStore((store) => {
    const source = requireProfile(store, from);
    requireFree(store, to, 'copy');
    // A deep copy: the two profiles must not share objects that a later change of one would alter.
    store.profiles[to] = structuredClone(source);
  });
  // Whatever an earlier profile of this name left in the cache is not the copy's.
  await forgetCached(ctx, to);
  const data: ProfileCopyDocument = { ok: true, from, to };
  return {
    data,
    text: (s) =>
      `${s.green('✔')} profile ${s.bold(to)} created as a copy of ${s.bold(from)}; change it with \`hss profile set ${to} …\``,
    exitCode: 0,
  };
};
export default profileCopy;
