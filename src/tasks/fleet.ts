/**
 * One command across several projects: `--region a,b`, `--region all` and `--all-projects` resolved
 * into projects (IAM's list of the caller's projects), each given the credential that serves it, and a
 * function run for each, in parallel up to a bound. A project that fails does not stop the others:
 * its error is kept with its region and project ID, and the highest exit code wins.
 *
 *   if (wantsSeveralProjects(ctx)) {
 *     const fleet = await forEachProject(ctx, (project, api) => api.allTasks(filter), { concurrency });
 *     // fleet.results: [{ project: { region, projectId, name }, value }], fleet.errors, fleet.exitCode
 *   }
 *
 * Per credential kind: a key pair signs for every project (X-Project-Id); a password login uses the
 * token it cached for each project (`hss auth login --region all`); a credential command runs once per
 * project with HSS_REGION and HSS_PROJECT_ID in its environment; a plain token serves one project only.
 */
import type { HssApi } from '../api/hss.js';
import type { Credential, CredentialPlan } from '../auth/credentials.js';
import type { ProjectTarget } from '../auth/projects.js';
import type { Context } from '../cli/context.js';
import { ConfigError, HssError } from '../core/errors.js';
import { errorJson } from '../output/renderer.js';
import type { RegionList } from '../settings/regions.js';
import type { ProjectErrorDocument } from './documents.js';

export type { ProjectTarget } from '../auth/projects.js';

export interface FleetOutcome<T> {
  /** Each project that answered, in the order the projects were selected. */
  results: Array<{ project: ProjectTarget; value: T }>;
  errors: ProjectErrorDocument[];
  /** The errors' errors, for a closing message. */
  failures: Array<{ target: string; error: HssError }>;
  /** The highest exit code of the projects' errors; 0 when every project answered. */
  exitCode: number;
  /** How many projects (and regions without one) were asked. */
  asked: number;
}

export interface FleetOptions {
  /** Projects read at once (default 4). */
  concurrency?: number;
}

export const DEFAULT_FLEET_CONCURRENCY = 4;

/** Whether this run asks for several projects: a region list, `all`, or --all-projects. */
export function wantsSeveralProjects(ctx: Context): boolean {
  return ctx.settings().regions !== undefined || ctx.flags.allProjects === true;
}

/** The regions asked for: the list, `all`, or the one region of the settings (with --all-projects). */
function regionsAsked(ctx: Context): RegionList {
  const settings = ctx.settings();
  if (settings.regions) return settings.regions.value;
  if (settings.region) return [settings.region.value];
  throw new ConfigError('--all-projects needs a region: every project of which region?', {
    hint: 'pass --region (a region, a comma list, or all)',
  });
}

function plainTokenRefusal(): ConfigError {
  return new ConfigError('a token serves one project, and this command was asked for several', {
    hint: 'name one region; or use a key pair (HUAWEICLOUD_SDK_AK/SK), a password login (`hss auth login --region all`) or a credential command, which serve every project',
  });
}

/**
 * The projects to read. A single region with a project ID set needs no IAM call; otherwise IAM's
 * list of the caller's projects decides. A plain token is refused before anything is sent when the
 * request can only mean several projects.
 */
/**
 * The credential IAM's project list is asked with. A credential command runs for the profile's own
 * project when the profile names one, so that that run serves the project too (each project then has
 * one run); else it runs once in the caller's environment.
 */
async function listingCredential(ctx: Context, plan: CredentialPlan): Promise<Credential> {
  const { profile } = ctx.settings();
  if (plan.kind === 'command' && plan.forProject && profile.region && profile.project_id) {
    return plan.forProject({ region: profile.region, projectId: profile.project_id });
  }
  return ctx.credential();
}

async function selectTargets(
  ctx: Context,
  regions: RegionList,
  plan: CredentialPlan,
): Promise<{ projects: ProjectTarget[]; missing: string[] }> {
  const plainToken = plan.kind === 'token';
  const settings = ctx.settings();
  const allProjects = ctx.flags.allProjects === true;
  if (plainToken && (regions === 'all' || regions.length > 1 || allProjects)) throw plainTokenRefusal();
  const only = regions !== 'all' && regions.length === 1 ? regions[0] : undefined;
  if (only !== undefined && !allProjects && settings.projectId) {
    return { projects: [{ region: only, projectId: settings.projectId.value, name: only }], missing: [] };
  }
  const { listAccountProjects, selectProjects } = await import('../auth/projects.js');
  const { iamEndpointFor } = await import('../auth/project.js');
  const { authHintFor, authorizerFor } = await import('../auth/credentials.js');
  const credential = await listingCredential(ctx, plan);
  const iam = iamEndpointFor(settings, credential);
  const listed = await listAccountProjects(ctx.http(authHintFor(credential)), iam, authorizerFor(credential));
  ctx.renderer.debug(
    `IAM lists ${listed.map((p) => p.name).join(', ') || 'no project'} for these credentials`,
  );
  return selectProjects(listed, regions, allProjects);
}

/** Runs `fn` on every item, at most `limit` at once, stopping to start new ones once `signal` aborts. */
async function inParallel<T>(items: T[], limit: number, signal: AbortSignal, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * Runs `fn` once for each project the run asks for, with that project's HSS calls, `concurrency` at
 * once. An HssError of one project is kept in `errors` and the others go on; anything else (a bug,
 * an interruption) ends the run.
 */
export async function forEachProject<T>(
  ctx: Context,
  fn: (project: ProjectTarget, api: HssApi) => Promise<T>,
  options: FleetOptions = {},
): Promise<FleetOutcome<T>> {
  const regions = regionsAsked(ctx);
  const { planCredential, noCredentials } = await import('../auth/credentials.js');
  const plan = await planCredential(await ctx.credentialSources());
  if (!plan) throw noCredentials();
  const plainToken = plan.kind === 'token';
  const { projects, missing } = await selectTargets(ctx, regions, plan);
  if (plainToken && projects.length > 1) throw plainTokenRefusal();

  const outcome: FleetOutcome<T> = { results: [], errors: [], failures: [], exitCode: 0, asked: 0 };
  const { noProjectIn } = await import('../auth/projects.js');
  const fail = (region: string, projectId: string | undefined, error: HssError, name = region) => {
    outcome.errors.push({ region, ...(projectId ? { project_id: projectId } : {}), error: errorJson(error) });
    outcome.failures.push({ target: projectId ? `${name} (project ${projectId})` : name, error });
    outcome.exitCode = Math.max(outcome.exitCode, error.exitCode);
  };
  for (const region of missing) fail(region, undefined, noProjectIn(region));

  const values = new Map<ProjectTarget, T>();
  const failed = new Map<ProjectTarget, HssError>();
  await inParallel(
    projects,
    options.concurrency ?? DEFAULT_FLEET_CONCURRENCY,
    ctx.io.signal,
    async (project) => {
      try {
        const credential = plan.forProject ? await plan.forProject(project) : await ctx.credential();
        values.set(project, await fn(project, ctx.projectApi(project, credential)));
      } catch (error) {
        if (!(error instanceof HssError) || error.code === 'INTERRUPTED') throw error;
        failed.set(project, error);
      }
    },
  );
  // In the order the projects were selected, whichever answered first.
  for (const project of projects) {
    if (values.has(project)) outcome.results.push({ project, value: values.get(project) as T });
    const error = failed.get(project);
    if (error) fail(project.region, project.projectId, error, project.name);
  }
  outcome.asked = projects.length + missing.length;
  return outcome;
}

/**
 * The error that closes a text view of a fan-out with failures: which projects failed and why, with
 * the highest exit code (and the hint of the first failure that has one).
 */
export function fleetError(outcome: FleetOutcome<unknown>): HssError | undefined {
  const worst = outcome.failures.reduce<HssError | undefined>(
    (a, f) => (a === undefined || f.error.exitCode > a.exitCode ? f.error : a),
    undefined,
  );
  if (!worst) return undefined;
  const lines = outcome.failures.map((f) => `  ${f.target}: ${f.error.message}`);
  const hint = outcome.failures.find((f) => f.error.hint)?.error.hint;
  return new HssError(
    worst.code,
    worst.exitCode,
    `${outcome.failures.length} of ${outcome.asked} projects failed:\n${lines.join('\n')}`,
    hint === undefined ? {} : { hint },
  );
}
