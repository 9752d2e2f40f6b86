import type { Handler } from '../../define.js';
import { profileList } from '../profile.js';
import type { spec } from './command.js';

const handler: Handler<typeof spec> = (_input, ctx) => profileList(ctx);
export default handler;
