// Fixed identities of the sandbox. `hss sandbox` prints them at start and the demo logs in with them,
// so they never change between runs.

export const SANDBOX_REGION = 'cn-north-4';
export const SANDBOX_PROJECT_ID = '2f1e9d7c5b3a41e8a0c6d4b2f8e7a9c1';
export const SANDBOX_DOMAIN = 'sandbox-account';
export const SANDBOX_DOMAIN_ID = '7d3c5a1e9b2f4c6d8e0a1b3c5d7e9f02';
export const SANDBOX_USER = 'sandbox-user';
export const SANDBOX_USER_ID = '4b6d8f0a2c4e46a8b0d2f4a6c8e0b2d4';
export const SANDBOX_PASSWORD = 'sandbox-password';
/** A static X-Auth-Token that is always accepted and never expires. */
export const SANDBOX_TOKEN = 'hss-sandbox-token';
export const SANDBOX_ACCESS_KEY = 'SANDBOXAK0000000000000';
export const SANDBOX_SECRET_KEY = 'sandbox-secret-key-0000000000000000000000';
export const SANDBOX_ENTERPRISE_PROJECTS: readonly string[] = [
  '0',
  'all_granted_eps',
  '5b0c8e2a-7f14-4d3b-9a6e-1c2d3e4f5a6b',
];

/**
 * A fixed instant (2026-11-26T02:00:00Z) for a sandbox clock (`now`) where output must be
 * reproducible: the seed data is laid out before the clock's time at start.
 */
export const SANDBOX_BASE_TIME = Date.UTC(2026, 10, 26, 2, 0, 0);

export const SANDBOX_DEFAULT_PROGRESS_MS = 5_000;
export const SANDBOX_DEFAULT_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
/** How far an AK/SK request's X-Sdk-Date may be from the sandbox clock, as on the API gateway. */
export const SANDBOX_MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * One project of the sandbox's account, as IAM lists it. A main project is named after its region; a
 * sub-project `{region}_{suffix}`, its parent the main project. `MOS` is no region (IAM lists it; it
 * hosts no HSS tasks), nor is a disabled project used.
 */
export interface SandboxProject {
  id: string;
  name: string;
  /** The region whose endpoint serves it; none for MOS. */
  region?: string;
  enabled: boolean;
  /** A sub-project's main project. */
  parentId?: string;
}

/** The account's projects: three regions, a sub-project of the first, MOS and a disabled project. */
export const SANDBOX_PROJECTS: readonly SandboxProject[] = [
  { id: SANDBOX_PROJECT_ID, name: SANDBOX_REGION, region: SANDBOX_REGION, enabled: true },
  {
    id: '8c4a2e6f0b9d47c1a3e5f7092b4d6c8e',
    name: `${SANDBOX_REGION}_dev`,
    region: SANDBOX_REGION,
    enabled: true,
    parentId: SANDBOX_PROJECT_ID,
  },
  { id: '5e7a9c1b3d2f48e6b0a4c8d6e2f1a3b5', name: 'cn-east-3', region: 'cn-east-3', enabled: true },
  { id: '3b1d5f7a9c0e42b8d6f4a2c0e8b6d4f2', name: 'ap-southeast-1', region: 'ap-southeast-1', enabled: true },
  { id: '1f3e5d7c9b0a4e2c8d6b4a2f0e8c6a41', name: 'MOS', enabled: true },
  { id: '6d8f0b2a4c5e41d7b9a3c1e5f7d9b2a6', name: 'la-south-2', region: 'la-south-2', enabled: false },
];

/** The projects that host HSS tasks: the enabled ones of a region. */
export function hostingProjects(): SandboxProject[] {
  return SANDBOX_PROJECTS.filter((p) => p.enabled && p.region !== undefined);
}
