/**
 * The JSON documents of the account commands (`auth status`, `api`, `configure`, `version`, the
 * profile commands): what they print with --json, field for field. As src/tasks/documents.ts, they
 * are the contract of docs/json-output.md, checked by test/unit/json-output-docs.test.ts; this file
 * imports only types free of imports, so that check can read it on its own.
 */
import type { CredentialCheck } from '../auth/credential-check.js';
import type { ProjectErrorDocument } from '../tasks/documents.js';

/** `hss auth status` */
export interface AuthStatusDocument {
  /** False when a project of several refused the credential. */
  ok: boolean;
  profile: string;
  source: string;
  auth: string;
  kind: 'token' | 'aksk';
  temporary: boolean | undefined;
  who: Record<string, string> | null;
  region: string | null;
  project_id: string | null;
  project_id_source: string;
  iam_endpoint: string;
  expires_at: string | null;
  /** The call that checked the credential; null with --offline or several projects. */
  check: CredentialCheck | null;
  /** With several regions or --all-projects: the check of each project that accepted it. */
  checks?: CredentialCheck[];
  /** With several regions or --all-projects: each project that refused it, and why. */
  errors?: ProjectErrorDocument[];
}

/** `hss profile remove` */
export interface ProfileRemoveDocument {
  ok: true;
  removed: string;
  was_current: boolean;
}

/** `hss profile rename` */
export interface ProfileRenameDocument {
  ok: true;
  from: string;
  to: string;
  /** The renamed profile is the current one. */
  current: boolean;
  moved_login: boolean;
  moved_command_output: boolean;
}

/** `hss profile copy` */
export interface ProfileCopyDocument {
  ok: true;
  from: string;
  to: string;
}

/** A request `hss api --dry-run` would send, secrets masked. */
export interface ApiDryRunRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The JSON body, secret-looking fields masked; null when there is none. */
  body: unknown;
}

/** `hss api --dry-run` (without it, `hss api` prints the API's answer as it came) */
export interface ApiDryRunDocument {
  ok: true;
  dry_run: true;
  requests: ApiDryRunRequest[];
}

/** `hss version` */
export interface VersionDocument {
  ok: true;
  /** The version of hss-cli. */
  version: string;
  /** Node.js, without the `v`. */
  node: string;
  platform: string;
  arch: string;
  /** What every request sends as User-Agent. */
  user_agent: string;
  build: {
    /** The git commit built; null when the build had none. */
    commit: string | null;
  };
}

/** `hss configure` */
export interface ConfigureDocument {
  ok: true;
  profile: string;
  region: string;
  project_id: string;
  /** `aksk` or `password`. */
  auth: string;
  current: boolean;
  /** The profile store written. */
  file: string;
  /** The call that proved the credential before the profile was written. */
  check: CredentialCheck;
}
