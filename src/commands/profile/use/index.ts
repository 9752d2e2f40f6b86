import type { Handler } from '../../define.js';
import { profileUse } from '../profile.js';
import type { spec } from './command.js';

const handler: Handler<typeof spec> = ({ args }, ctx) => profileUse(args.name, ctx);
export default handler;
