import type { Handler } from '../../define.js';
import { profileSet } from '../profile.js';
import type { spec } from './command.js';

const handler: Handler<typeof spec> = ({ args, opts }, ctx) =>
  profileSet(args.name, { ...ctx.flags, ...opts }, ctx);
export default handler;
