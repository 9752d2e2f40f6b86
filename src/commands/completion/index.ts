/**
 * `hss completion bash|zsh|fish`: a completion script printed from the commander tree of this very
 * binary, so it always matches the installed version.
 */
import type { Command } from 'commander';
import type { Context } from '../../cli/context.js';
import { VERSION } from '../../core/version.js';
import { bashScript } from '../../help/completion/bash.js';
import { fishScript } from '../../help/completion/fish.js';
import { completionSpec } from '../../help/completion/spec.js';
import { zshScript } from '../../help/completion/zsh.js';
import type { CommandResult } from '../../output/renderer.js';
import type { Handler } from '../define.js';
import type { spec } from './command.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell, program: Command): string {
  const spec = completionSpec(program, VERSION);
  if (shell === 'zsh') return zshScript(spec);
  if (shell === 'fish') return fishScript(spec);
  return bashScript(spec);
}

export async function completion(shell: Shell, program: Command, _ctx: Context): Promise<CommandResult> {
  const script = completionScript(shell, program);
  return { data: { ok: true, shell, script }, text: () => script, exitCode: 0 };
}

const handler: Handler<typeof spec> = ({ args, program }, ctx) => completion(args.shell, program, ctx);
export default handler;
