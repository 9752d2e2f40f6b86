import type { Handler } from '../../define.js';
import { profileRemove } from '../profile.js';
import type { spec } from './command.js';

const handler: Handler<typeof spec> = ({ args }, ctx) => profileRemove(args.name, ctx);
export default handler;
