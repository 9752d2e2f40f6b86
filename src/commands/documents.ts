/**
 * The JSON documents of the account commands (`auth status`, `api`, `configure`, `version`, the
 * profile commands): what they print with --json, field for field. As src/tasks/documents.ts, they
 * are the contract of docs/json-output.md, checked by test/unit/json-output-docs.test.ts; this file
 * imports only types free of imports, so that check can read it on its own.
 */
import type { CredentialCheck } from '../auth/credential-check.js';

/** `hss auth status` */
export interface AuthStatusDocument {
  ok: true;
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
  /** The call that checked the credential; null with --offline. */
  check: CredentialCheck | null;
}
