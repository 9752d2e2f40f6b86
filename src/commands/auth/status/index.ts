import type { Handler } from '../../define.js';
import { authStatus } from '../auth.js';
import type { spec } from './command.js';

const handler: Handler<typeof spec> = (_input, ctx) => authStatus(ctx);
export default handler;
