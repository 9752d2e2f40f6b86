// The emulated IAM: password login (POST /v3/auth/tokens, scoped to a project or to the account),
// project lookup (GET /v3/projects[?name=…]) and the caller's projects (GET /v3/auth/projects), with
// IAM's own error shape {"error":{"code","message","title"}} (spec §5).

import { type Answer, iamError } from './answers.js';
import { iamTime, type TokenStore } from './auth.js';
import {
  SANDBOX_DOMAIN,
  SANDBOX_DOMAIN_ID,
  SANDBOX_PASSWORD,
  SANDBOX_PROJECTS,
  SANDBOX_REGION,
  SANDBOX_USER,
  SANDBOX_USER_ID,
  type SandboxProject,
} from './constants.js';

export interface IamRequest {
  query: URLSearchParams;
  body: string;
  now: number;
  /** e.g. http://127.0.0.1:8080, for links and the catalog. */
  baseUrl: string;
  rawPath: string;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class BadInput extends Error {}

function objectAt(parent: JsonObject, key: string, path: string): JsonObject {
  const value = parent[key];
  if (!isObject(value))
    throw new BadInput(`Invalid input for field '${path}'. The value is '${String(value)}'.`);
  return value;
}

function stringAt(parent: JsonObject, key: string, path: string): string | undefined {
  const value = parent[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new BadInput(`Invalid input for field '${path}'. The value is '${String(value)}'.`);
  }
  return value;
}

interface PasswordLogin {
  user: string;
  password: string;
  domainName?: string;
  domainId?: string;
  projectName?: string;
  projectId?: string;
  /** Scoped to the account (`scope.domain`) rather than a project. */
  domainScope?: boolean;
}

function readLogin(text: string): PasswordLogin {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadInput('The request body is not valid JSON.');
  }
  if (!isObject(parsed)) throw new BadInput('The request body must be a JSON object.');
  const auth = objectAt(parsed, 'auth', 'auth');
  const identity = objectAt(auth, 'identity', 'auth.identity');
  const methods = identity.methods;
  if (!Array.isArray(methods) || !methods.includes('password')) {
    throw new BadInput(
      "Invalid input for field 'auth.identity.methods'. Only the password method is supported.",
    );
  }
  const user = objectAt(
    objectAt(identity, 'password', 'auth.identity.password'),
    'user',
    'auth.identity.password.user',
  );
  const name = stringAt(user, 'name', 'auth.identity.password.user.name');
  const password = stringAt(user, 'password', 'auth.identity.password.user.password');
  if (name === undefined) throw new BadInput("Invalid input for field 'auth.identity.password.user.name'.");
  if (password === undefined)
    throw new BadInput("Invalid input for field 'auth.identity.password.user.password'.");
  const domain = objectAt(user, 'domain', 'auth.identity.password.user.domain');
  const domainName = stringAt(domain, 'name', 'auth.identity.password.user.domain.name');
  const domainId = stringAt(domain, 'id', 'auth.identity.password.user.domain.id');
  if (domainName === undefined && domainId === undefined) {
    throw new BadInput("Invalid input for field 'auth.identity.password.user.domain'. Give its name or id.");
  }
  const scope = objectAt(auth, 'scope', 'auth.scope');
  const login: PasswordLogin = { user: name, password };
  if (domainName !== undefined) login.domainName = domainName;
  if (domainId !== undefined) login.domainId = domainId;
  if (scope.project === undefined && isObject(scope.domain)) {
    login.domainScope = true;
    return login;
  }
  const project = objectAt(scope, 'project', 'auth.scope.project');
  const projectName = stringAt(project, 'name', 'auth.scope.project.name');
  const projectId = stringAt(project, 'id', 'auth.scope.project.id');
  if (projectName === undefined && projectId === undefined) {
    throw new BadInput("Invalid input for field 'auth.scope.project'. Give its name or id.");
  }
  if (projectName !== undefined) login.projectName = projectName;
  if (projectId !== undefined) login.projectId = projectId;
  return login;
}

function domainView() {
  return { id: SANDBOX_DOMAIN_ID, name: SANDBOX_DOMAIN };
}

function catalog(baseUrl: string) {
  const endpoint = (id: string) => [
    { id, interface: 'public', region: SANDBOX_REGION, region_id: SANDBOX_REGION, url: baseUrl },
  ];
  return [
    { endpoints: endpoint('0e1c7a5d3b9f4e2a8c6d0b4f2a8e6c10'), id: 'hss', name: 'hss', type: 'hss' },
    { endpoints: endpoint('9a7c5e3b1d8f4a6c2e0b8d6f4a2c0e18'), id: 'iam', name: 'iam', type: 'identity' },
  ];
}

/** POST /v3/auth/tokens[?nocatalog=true] — 201 with the token in X-Subject-Token. */
export function login(req: IamRequest, tokens: TokenStore, ttlMs: number): Answer {
  let input: PasswordLogin;
  try {
    input = readLogin(req.body);
  } catch (error) {
    if (error instanceof BadInput) return iamError(400, error.message);
    throw error;
  }
  const domainOk = input.domainName === SANDBOX_DOMAIN || input.domainId === SANDBOX_DOMAIN_ID;
  if (!domainOk || input.user !== SANDBOX_USER || input.password !== SANDBOX_PASSWORD) {
    return iamError(401, 'The username or password is wrong.');
  }
  let project: SandboxProject | undefined;
  if (!input.domainScope) {
    project = SANDBOX_PROJECTS.find(
      (p) =>
        p.enabled &&
        (input.projectName === undefined || p.name === input.projectName) &&
        (input.projectId === undefined || p.id === input.projectId),
    );
    if (!project) {
      return iamError(401, 'The project in the scope does not exist or the user has no access to it.');
    }
  }
  const issued = tokens.issue(req.now, ttlMs, project?.id);
  const token: JsonObject = {
    expires_at: iamTime(issued.expiresAt),
    issued_at: iamTime(issued.issuedAt),
    methods: ['password'],
    ...(project ? { project: { id: project.id, name: project.name, domain: domainView() } } : {}),
    ...(project ? {} : { domain: domainView() }),
    user: { id: SANDBOX_USER_ID, name: SANDBOX_USER, domain: domainView() },
    roles: [{ id: '0', name: 'te_admin' }],
  };
  if (req.query.get('nocatalog') !== 'true') token.catalog = catalog(req.baseUrl);
  return { status: 201, headers: { 'X-Subject-Token': issued.token }, body: { token } };
}

function projectView(project: SandboxProject) {
  return {
    id: project.id,
    name: project.name,
    domain_id: SANDBOX_DOMAIN_ID,
    enabled: project.enabled,
    description: '',
    is_domain: false,
    parent_id: project.parentId ?? SANDBOX_DOMAIN_ID,
  };
}

/**
 * GET /v3/projects[?name=…] and GET /v3/auth/projects — the account's projects (the sandbox user may
 * use every one), those named `name` when it is given.
 */
export function listProjects(req: IamRequest): Answer {
  const name = req.query.get('name');
  const projects = SANDBOX_PROJECTS.filter((p) => name === null || p.name === name).map(projectView);
  return {
    status: 200,
    body: { projects, links: { self: `${req.baseUrl}${req.rawPath}`, previous: null, next: null } },
  };
}
