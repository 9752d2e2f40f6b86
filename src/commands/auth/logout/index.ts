import type { Handler } from '../../define.js';
import { authLogout } from '../auth.js';
import type { spec } from './command.js';

const handler: Handler<typeof spec> = (_input, ctx) => authLogout(ctx);
export default handler;
