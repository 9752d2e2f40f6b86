/**
 * `hss completion bash|zsh|fish`: a completion script printed from the commander tree of this very
 * binary, so it always matches the installed version.
 */
import type { Command, Option } from 'commander';
import type { Context } from '../../cli/context.js';
import { collect } from '../../cli/program.js';
import { VERSION } from '../../core/version.js';
import { bashScript } from '../../help/completion/bash.js';
import { fishScript } from '../../help/completion/fish.js';
import { completionSpec } from '../../help/completion/spec.js';
import { zshScript } from '../../help/completion/zsh.js';
import type { CommandResult } from '../../output/renderer.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export const isRepeatable = (option: Option): boolean => (option.parseArg as unknown) === collect;

export function completionScript(shell: Shell, program: Command): string {
  const spec = completionSpec(program, VERSION, isRepeatable);
  if (shell === 'zsh') return zshScript(spec);
  if (shell === 'fish') return fishScript(spec);
  return bashScript(spec);
}

export async function completion(shell: Shell, program: Command, _ctx: Context): Promise<CommandResult> {
  const script = completionScript(shell, program);
  return { data: { ok: true, shell, script }, text: () => script, exitCode: 0 };
}
