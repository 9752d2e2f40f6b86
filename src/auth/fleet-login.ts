/**
 * A password login to several projects at once (`hss auth login --region all`): a token scoped to the
 * account lists the caller's projects, then one token is obtained per project selected, the password
 * in hand only for this run. A token serves the project it is scoped to and no other.
 */
import type { HttpClient } from '../api/http.js';
import { ConfigError } from '../core/errors.js';
import type { RegionList } from '../settings/regions.js';
import { type LoginInput, type LoginResult, passwordLogin } from './iam.js';
import { listAccountProjects, type ProjectTarget, selectProjects } from './projects.js';

export interface ProjectLoginResult {
  target: ProjectTarget;
  login: LoginResult;
}

/** Logins run at once: IAM is asked for one token per project. */
const LOGIN_CONCURRENCY = 4;

export async function loginToProjects(
  http: HttpClient,
  input: LoginInput,
  regions: RegionList,
  allProjects: boolean,
): Promise<ProjectLoginResult[]> {
  const account = await passwordLogin(http, { ...input, domainScope: true });
  const listed = await listAccountProjects(http, input.iamEndpoint, (request) => ({
    ...request.headers,
    'X-Auth-Token': account.token,
  }));
  const { projects, missing } = selectProjects(listed, regions, allProjects);
  if (missing.length) {
    throw new ConfigError(
      `IAM lists no project for ${missing.map((r) => JSON.stringify(r)).join(', ')} for ${input.user}`,
      {
        hint: 'check the region names, or log in with --region all',
      },
    );
  }
  if (projects.length === 0) throw new ConfigError(`IAM lists no HSS project for ${input.user}`);
  const results: ProjectLoginResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < projects.length) {
      const target = projects[next++] as ProjectTarget;
      results.push({ target, login: await passwordLogin(http, { ...input, projectId: target.projectId }) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOGIN_CONCURRENCY, projects.length) }, worker));
  return projects.map((p) => results.find((r) => r.target === p) as ProjectLoginResult);
}
