/**
 * `--region` (or HSS_REGION) naming several regions: a comma list, or `all` (every region where the
 * account has a project, from IAM). Only the commands that fan out over projects take it
 * (src/tasks/fleet.ts); every other command needs one region.
 */
import { UsageError } from '../core/errors.js';
import { firstIssue, Region } from '../core/rules.js';
import { quote } from '../core/text.js';
import { describeSource } from './describe.js';
import type { Resolved } from './source.js';

/** `all`, or the regions named, each once, in the order given. */
export type RegionList = 'all' | string[];

/** Whether a region setting names several regions (a list, or `all`) rather than one. */
export function namesSeveralRegions(value: string): boolean {
  return value.includes(',') || value.trim() === 'all';
}

/** The regions of a list setting, each checked with the rule of one region (exit 2 naming it). */
export function parseRegionList(resolved: Resolved<string>): Resolved<RegionList> {
  const { value, source } = resolved;
  if (value.trim() === 'all') return { value: 'all', source };
  const regions: string[] = [];
  for (const part of value.split(',')) {
    const region = part.trim();
    const parsed = Region.safeParse(region);
    if (!parsed.success) {
      throw new UsageError(
        `region ${quote(region)} in ${quote(value)} (from ${describeSource(source)}): ${
          region === '' ? 'the list has an empty item' : firstIssue(parsed.error)
        }`,
        { hint: 'give regions separated by commas, e.g. cn-north-4,cn-east-3, or all' },
      );
    }
    if (!regions.includes(region)) regions.push(region);
  }
  return { value: regions, source };
}

/** The refusal of several regions (or --all-projects) by a command that works on one project. */
export function oneProjectOnly(what: string): UsageError {
  return new UsageError(
    `${what}: only \`hss task list\`, \`hss task stats\`, \`hss task retry --since\` and \`hss auth status\` read several projects, this command one`,
    {
      hint: 'name one region, e.g. --region cn-north-4',
    },
  );
}
