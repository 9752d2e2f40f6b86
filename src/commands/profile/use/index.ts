/**
 * `hss profile use <name>`: makes a profile the current one.
 */
import type { Handler } from '../../define.js';
import { checkName, requireProfile } from '../shared.js';
import type { spec } from './command.js';

/** What `profile use --json` prints. */
export interface ProfileUseDocument {
  ok: true;
  current: string;
}

const profileUse: Handler<typeof spec> = async ({ args }, ctx) => {
  const name = checkName(args.name);
  await ctx.updateStore((store) => {
    requireProfile(store, name);
    store.current = name;
  });
  const data: ProfileUseDocument = { ok: true, current: name };
  return { data, text: (s) => `${s.green('✔')} now using profile ${s.bold(name)}`, exitCode: 0 };
};
export default profileUse;
