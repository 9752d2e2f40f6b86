/**
 * The two IAM calls hss makes: password login (POST /v3/auth/tokens, the token comes back in the
 * X-Subject-Token header) and the project ID of a region (GET /v3/projects?name=…).
 */
import * as z from 'zod';
import type { ApiRequest, Authorize, HttpClient } from '../api/http.js';
import { ApiError, ConfigError } from '../core/errors.js';
import { registerSecret } from '../core/redact.js';
import { firstIssue, ProjectId } from '../core/rules.js';
import { quote } from '../core/text.js';
import { parseExpiry } from './cache.js';

export interface LoginInput {
  iamEndpoint: string;
  user: string;
  domain: string;
  password: string;
  /** Project (region) name the token is scoped to. */
  region: string;
  /** Scope the token to this project ID instead (one project of several). */
  projectId?: string;
  /** Scope the token to the account: for IAM calls only (the list of its projects), no HSS project. */
  domainScope?: boolean;
}

export interface LoginResult {
  token: string;
  expiresAt: number;
  expiresAtText: string;
  issuedAtText?: string;
  projectId?: string;
  projectName?: string;
  userName?: string;
  domainName?: string;
}

const TokenBody = z.looseObject({
  token: z.looseObject({
    expires_at: z.string(),
    issued_at: z.string().optional(),
    project: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
    user: z
      .looseObject({
        name: z.string().optional(),
        domain: z.looseObject({ name: z.string().optional() }).optional(),
      })
      .optional(),
  }),
});

const ProjectsBody = z.looseObject({
  projects: z.array(z.looseObject({ id: z.string(), name: z.string().optional() })),
});

function iamUrl(endpoint: string, path: string): URL {
  return new URL(`${endpoint}${path}`);
}

function details(response: { status: number; requestId?: string }) {
  return { httpStatus: response.status, ...(response.requestId ? { requestId: response.requestId } : {}) };
}

/**
 * A project ID from IAM is stored in the profile and put in every HSS path: one that breaks the
 * rule is refused here, before it is kept anywhere.
 */
function checkedProjectId(id: string, operation: string, response: { status: number; requestId?: string }) {
  const parsed = ProjectId.safeParse(id);
  if (!parsed.success) {
    throw new ApiError(
      `${operation}: the project ID ${quote(id)} in the answer is unusable: ${firstIssue(parsed.error)}`,
      details(response),
    );
  }
  return id;
}

export function loginRequest(input: LoginInput): ApiRequest {
  const body = {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: input.user, password: input.password, domain: { name: input.domain } } },
      },
      scope: input.domainScope
        ? { domain: { name: input.domain } }
        : { project: input.projectId ? { id: input.projectId } : { name: input.region } },
    },
  };
  return {
    method: 'POST',
    url: iamUrl(input.iamEndpoint, '/v3/auth/tokens?nocatalog=true'),
    headers: { 'Content-Type': 'application/json;charset=utf8' },
    body: JSON.stringify(body),
    operation: 'IAM login',
    sensitiveBody: true,
  };
}

export async function passwordLogin(http: HttpClient, input: LoginInput): Promise<LoginResult> {
  registerSecret(input.password);
  const response = await http.send(loginRequest(input));
  const token = response.headers['x-subject-token'];
  registerSecret(token);
  if (!token) {
    throw new ApiError('IAM login: the answer has no X-Subject-Token header', details(response));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(response.text);
  } catch {
    throw new ApiError('IAM login: the answer is not JSON', details(response));
  }
  const parsed = TokenBody.safeParse(raw);
  if (!parsed.success) throw new ApiError('IAM login: the answer has no token.expires_at', details(response));
  const info = parsed.data.token;
  const expiresAt = parseExpiry(info.expires_at);
  if (expiresAt === undefined) {
    throw new ApiError(
      `IAM login: cannot read token.expires_at ${JSON.stringify(info.expires_at)}`,
      details(response),
    );
  }
  const result: LoginResult = { token, expiresAt, expiresAtText: info.expires_at };
  if (info.issued_at) result.issuedAtText = info.issued_at;
  if (info.project) {
    result.projectId = checkedProjectId(info.project.id, 'IAM login', response);
    if (info.project.name) result.projectName = info.project.name;
  }
  if (info.user?.name) result.userName = info.user.name;
  if (info.user?.domain?.name) result.domainName = info.user.domain.name;
  return result;
}

/** The ID of the project named after `region`; only when IAM knows exactly one. */
export async function lookupProjectId(
  http: HttpClient,
  iamEndpoint: string,
  region: string,
  authorize: Authorize,
): Promise<string> {
  const request: ApiRequest = {
    method: 'GET',
    url: iamUrl(iamEndpoint, `/v3/projects?name=${encodeURIComponent(region)}`),
    headers: { 'Content-Type': 'application/json' },
    operation: `IAM project lookup for ${region}`,
  };
  const response = await http.send(request, authorize);
  let raw: unknown;
  try {
    raw = JSON.parse(response.text);
  } catch {
    throw new ApiError(`${request.operation}: the answer is not JSON`, details(response));
  }
  const parsed = ProjectsBody.safeParse(raw);
  if (!parsed.success)
    throw new ApiError(`${request.operation}: the answer has no projects list`, details(response));
  const matching = parsed.data.projects.filter((p) => p.name === undefined || p.name === region);
  const only = matching[0];
  if (matching.length !== 1 || only === undefined) {
    throw new ConfigError(
      matching.length === 0
        ? `IAM lists no project named ${JSON.stringify(region)} for these credentials`
        : `IAM lists ${matching.length} projects named ${JSON.stringify(region)}; hss will not guess`,
      {
        ...details(response),
        hint: 'pass --project-id, set HSS_PROJECT_ID, or `hss profile set NAME --project-id …`',
      },
    );
  }
  return checkedProjectId(only.id, request.operation, response);
}
