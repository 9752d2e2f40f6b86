import type { Handler } from '../../define.js';
import { profileShow } from '../profile.js';
import type { spec } from './command.js';

const handler: Handler<typeof spec> = ({ args }, ctx) => profileShow(args.name, ctx);
export default handler;
