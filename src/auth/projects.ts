/**
 * The projects of an account, from IAM (GET /v3/auth/projects: those the caller may use), and which
 * of them a `--region` list, `all` and `--all-projects` select. A main project is named after its
 * region (`cn-north-4`), a sub-project `{region}_{suffix}`; `MOS` and any other name that is no region
 * are not HSS projects, nor is a disabled project.
 */
import * as z from 'zod';
import type { ApiRequest, Authorize, HttpClient } from '../api/http.js';
import { ApiError, ConfigError } from '../core/errors.js';
import { ProjectId } from '../core/rules.js';
import type { RegionList } from '../settings/regions.js';

/** One project a command reads: where it is, and its ID. */
export interface ProjectTarget {
  region: string;
  projectId: string;
  /** IAM's name of it: the region for a main project, `{region}_{suffix}` for a sub-project. */
  name: string;
}

const AuthProjectsBody = z.looseObject({
  projects: z.array(z.looseObject({ id: z.string(), name: z.string(), enabled: z.boolean().optional() })),
});

const MAIN = /^[a-z0-9-]+$/;
const SUB = /^([a-z0-9-]+)_[^\s]+$/;

/** The region of a project name, and whether it is a sub-project; undefined for a name that is no region. */
export function regionOfProject(name: string): { region: string; sub: boolean } | undefined {
  if (MAIN.test(name)) return { region: name, sub: false };
  const sub = SUB.exec(name);
  return sub?.[1] ? { region: sub[1], sub: true } : undefined;
}

/** Every HSS project IAM lists for the caller: enabled, named after a region (MOS and the like skipped). */
export async function listAccountProjects(
  http: HttpClient,
  iamEndpoint: string,
  authorize: Authorize,
): Promise<Array<ProjectTarget & { sub: boolean }>> {
  const request: ApiRequest = {
    method: 'GET',
    url: new URL(`${iamEndpoint}/v3/auth/projects`),
    headers: { 'Content-Type': 'application/json' },
    operation: 'IAM project list',
  };
  const response = await http.send(request, authorize);
  const details = {
    httpStatus: response.status,
    ...(response.requestId ? { requestId: response.requestId } : {}),
  };
  let raw: unknown;
  try {
    raw = JSON.parse(response.text);
  } catch {
    throw new ApiError(`${request.operation}: the answer is not JSON`, details);
  }
  const parsed = AuthProjectsBody.safeParse(raw);
  if (!parsed.success) throw new ApiError(`${request.operation}: the answer has no projects list`, details);
  const projects: Array<ProjectTarget & { sub: boolean }> = [];
  for (const project of parsed.data.projects) {
    const where = regionOfProject(project.name);
    if (!where || project.enabled === false || !ProjectId.safeParse(project.id).success) continue;
    projects.push({ region: where.region, projectId: project.id, name: project.name, sub: where.sub });
  }
  return projects;
}

/** What a fan-out reads: the projects selected, and the regions named that have none. */
export interface ProjectSelection {
  projects: ProjectTarget[];
  missing: string[];
}

/**
 * The projects of the regions asked for (every region for `all`), in the order named (IAM's order
 * for `all`): each region's main project, and with `allProjects` its sub-projects too.
 */
export function selectProjects(
  listed: ReadonlyArray<ProjectTarget & { sub: boolean }>,
  regions: RegionList,
  allProjects: boolean,
): ProjectSelection {
  const wanted = (p: { sub: boolean }) => allProjects || !p.sub;
  if (regions === 'all') {
    return { projects: listed.filter(wanted).map(strip), missing: [] };
  }
  const projects: ProjectTarget[] = [];
  const missing: string[] = [];
  for (const region of regions) {
    const found = listed.filter((p) => p.region === region && wanted(p));
    if (found.length === 0) missing.push(region);
    projects.push(...found.map(strip));
  }
  return { projects, missing };
}

function strip(project: ProjectTarget & { sub: boolean }): ProjectTarget {
  return { region: project.region, projectId: project.projectId, name: project.name };
}

/** A region named that IAM lists no project for, as the error of that region. */
export function noProjectIn(region: string): ConfigError {
  return new ConfigError(`IAM lists no project for region ${JSON.stringify(region)} for these credentials`, {
    hint: 'check the region name, or run `hss task list --region all` to read every region the account has',
  });
}
