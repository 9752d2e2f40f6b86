import type { Handler } from '../../define.js';
import { authLogin } from '../auth.js';
import type { spec } from './command.js';

const handler: Handler<typeof spec> = ({ opts }, ctx) => authLogin(opts, ctx);
export default handler;
