// The API gateway's authentication, as the sandbox emulates it: an X-Auth-Token (the static sandbox
// token or one issued by the emulated IAM) or an AK/SK signature (SDK-HMAC-SHA256).

import { randomBytes } from 'node:crypto';
import { verifyRequest } from '../auth/signer.js';
import { type Answer, authErrors } from './answers.js';
import {
  SANDBOX_ACCESS_KEY,
  SANDBOX_MAX_CLOCK_SKEW_MS,
  SANDBOX_PROJECT_ID,
  SANDBOX_SECRET_KEY,
  SANDBOX_TOKEN,
} from './constants.js';

/** Huawei writes token times with a microsecond fraction: 2026-11-28T10:00:00.000000Z. */
export function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface IssuedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/**
 * Tokens issued by the emulated IAM, each scoped to the project it was asked for (or to the account, a
 * domain-scoped token, which no HSS project accepts); they survive reset() so a logged-in CLI stays
 * logged in. The static sandbox token is scoped to the main project.
 */
export class TokenStore {
  private readonly issued = new Map<string, { expiresAt: number; projectId: string | undefined }>();

  issue(now: number, ttlMs: number, projectId?: string): IssuedToken {
    // Real tokens are long base64 blobs starting with MII; the shape matters to masking, not the content.
    const token = `MII${randomBytes(96).toString('base64url')}`;
    const expiresAt = now + ttlMs;
    this.issued.set(token, { expiresAt, projectId });
    return { token, issuedAt: now, expiresAt };
  }

  /** undefined when the token is good, else the gateway's refusal. */
  check(token: string, now: number): Answer | undefined {
    if (token === SANDBOX_TOKEN) return undefined;
    const entry = this.issued.get(token);
    if (entry === undefined) return authErrors.badToken();
    if (now >= entry.expiresAt) return authErrors.expiredToken(iamTime(entry.expiresAt));
    return undefined;
  }

  /** The project a good token is scoped to; undefined for a domain-scoped one. */
  projectOf(token: string): string | undefined {
    if (token === SANDBOX_TOKEN) return SANDBOX_PROJECT_ID;
    return this.issued.get(token)?.projectId;
  }
}

export interface AuthRequest {
  method: string;
  rawPath: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Host to sign against when the request has no Host header. */
  fallbackHost: string;
}

function lookupSecret(accessKey: string): string | undefined {
  return accessKey === SANDBOX_ACCESS_KEY ? SANDBOX_SECRET_KEY : undefined;
}

/** Parses an X-Sdk-Date (YYYYMMDDTHHmmssZ) into epoch ms. */
export function parseSdkDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  if (y === undefined || mo === undefined || d === undefined || h === undefined || mi === undefined) {
    return undefined;
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s ?? 0);
  return Number.isNaN(ms) ? undefined : ms;
}

function checkSignature(req: AuthRequest, now: number): Answer | undefined {
  const host = req.headers.host ?? req.fallbackHost;
  let url: URL;
  try {
    url = new URL(`http://${host}${req.rawPath}`);
  } catch {
    return authErrors.badSignature();
  }
  const verdict = verifyRequest(
    { method: req.method, url, headers: req.headers, body: req.body },
    lookupSecret,
  );
  if (!verdict.ok) return authErrors.badSignature();
  const signedAt = parseSdkDate(req.headers['x-sdk-date'] ?? '');
  if (signedAt === undefined || Math.abs(now - signedAt) > SANDBOX_MAX_CLOCK_SKEW_MS) {
    return authErrors.badSignature();
  }
  return undefined;
}

/** undefined when the request is authenticated, else the gateway's 401. */
export function authenticate(req: AuthRequest, tokens: TokenStore, now: number): Answer | undefined {
  const token = req.headers['x-auth-token'];
  if (token !== undefined && token !== '') return tokens.check(token, now);
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('SDK-HMAC-SHA256')) return checkSignature(req, now);
  return authErrors.missingToken();
}

/**
 * Whether an authenticated request may act on `projectId`: a token only on the project it is scoped
 * to, a signature on any project of the account, its X-Project-Id (when sent) naming the same one.
 */
export function mayUseProject(
  headers: Record<string, string>,
  tokens: TokenStore,
  projectId: string,
): boolean {
  const token = headers['x-auth-token'];
  if (token !== undefined && token !== '') return tokens.projectOf(token) === projectId;
  const header = headers['x-project-id'];
  return header === undefined || header === projectId;
}
