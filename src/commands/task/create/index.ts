/**
 * `hss task create`: start a cluster scan (CreateTask). The plan and the run are
 * src/tasks/create-*.ts; following the new task is the wait loop of `task wait`.
 */
import type { Context } from '../../../cli/context.js';
import type { CommandResult } from '../../../output/renderer.js';
import { type CreateOptions, planCreate } from '../../../tasks/create-plan.js';
import { dryRunCreate, executeCreate } from '../../../tasks/create-run.js';
import type { DryRunDocument, TaskCreateDocument } from '../../../tasks/documents.js';
import type { Handler } from '../../define.js';
import type { spec } from './command.js';

export async function taskCreate(
  opts: CreateOptions,
  ctx: Context,
): Promise<CommandResult<TaskCreateDocument | DryRunDocument>> {
  // Everything the user typed is checked before settings, credentials or the network are touched.
  const plan = await planCreate(opts);
  const api = await ctx.hss({ offline: plan.dryRun });
  if (plan.dryRun) return dryRunCreate(api, plan);
  return executeCreate(api, plan, ctx.renderer, ctx.io);
}

const handler: Handler<typeof spec> = ({ opts }, ctx) => taskCreate(opts, ctx);
export default handler;
