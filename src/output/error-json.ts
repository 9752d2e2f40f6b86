/**
 * The error object of the JSON contract (docs/json-output.md, "Errors"): what `--json` prints for a
 * failed run, and what a failed item of a batch carries. Its fields are checked against the docs by
 * test/unit/json-output-docs.test.ts.
 */
import type { ErrorCode } from '../core/errors.js';

export interface ErrorJson {
  code: ErrorCode;
  message: string;
  /** The process exit code (docs/exit-codes.md). */
  exit_code: number;
  http_status?: number;
  /** The API's own error code, read from its error body. */
  api_error_code?: string;
  request_id?: string;
  /** The API's encoded reason for a denied permission. */
  encoded_authorization_message?: string;
  hint?: string;
}

/** The one document of a run that failed. */
export interface ErrorDocument {
  ok: false;
  error: ErrorJson;
}
