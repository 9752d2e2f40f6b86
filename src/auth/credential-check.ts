/**
 * The part of the `hss auth status` and `hss configure` documents that says which call checked the
 * credential, where, and what came back (src/auth/verify.ts makes the call). Free of imports, so the
 * check of docs/json-output.md can read it on its own.
 */
export interface CredentialCheck {
  /** Always `ShowTaskStatistics`. */
  operation: string;
  endpoint: string;
  region: string | null;
  project_id: string;
  http_status: number;
  request_id?: string;
}
