/**
 * What a credential command prints, read: a bare token, `{"token","expires_at"}` or
 * `{"access_key","secret_key","security_token","expires_at"}`, each secret registered for masking
 * before anything else happens.
 */
import { Token } from '../api/schemas.js';
import { registerSecret } from '../core/redact.js';
import { parseExpiry } from './cache.js';

/** What a credential command gave: a token or a key pair, with its expiry when it said one. */
export type CommandOutput =
  | { kind: 'token'; token: string; expiresAt?: number }
  | { kind: 'aksk'; accessKey: string; secretKey: string; securityToken?: string; expiresAt?: number };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(obj: Record<string, unknown>, key: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`"${key}" is not a string`);
  return value;
}

const SECRET_KEY = /password|secret|token|^sk$/i;

/**
 * Registers every secret a command's stdout may hold, whatever else it holds and whether or not the
 * command succeeded: the whole output, and each secret-named string of a JSON object in it (a JSON
 * string may spell its value with escapes, so the value can differ from the text printed).
 */
export function registerOutputSecrets(stdout: string): void {
  const text = stdout.trim();
  registerSecret(text);
  if (!text.startsWith('{')) return;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return;
  }
  if (!isObject(raw)) return;
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' && SECRET_KEY.test(key)) registerSecret(value);
  }
}

/**
 * Reads a command's stdout: a bare token, `{"token","expires_at"}` or
 * `{"access_key","secret_key","security_token","expires_at"}`. Every secret is registered before
 * anything else happens. Throws an Error whose message never contains the output.
 */
export function parseCommandOutput(stdout: string): CommandOutput {
  const text = stdout.trim();
  registerOutputSecrets(text);
  if (text === '') throw new Error('it printed nothing');
  if (!text.startsWith('{') && !text.startsWith('[')) {
    if (/\s/.test(text)) throw new Error('it printed more than one word and no JSON object');
    if (!Token.safeParse(text).success) throw new Error('what it printed is not a usable token');
    return { kind: 'token', token: text };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('it printed something that starts like JSON but is not valid JSON');
  }
  if (!isObject(raw)) throw new Error('it printed JSON that is not an object');
  const expiresRaw = raw['expires_at'];
  let expiresAt: number | undefined;
  if (expiresRaw !== undefined && expiresRaw !== null) {
    expiresAt = parseExpiry(expiresRaw);
    if (expiresAt === undefined) throw new Error('its "expires_at" is not an ISO-8601 time or epoch seconds');
  }
  const token = optionalString(raw, 'token');
  const accessKey = optionalString(raw, 'access_key');
  const secretKey = optionalString(raw, 'secret_key');
  if (token !== undefined) {
    if (accessKey !== undefined || secretKey !== undefined) {
      throw new Error('its JSON has both "token" and "access_key"/"secret_key"; give one kind');
    }
    if (!Token.safeParse(token).success) throw new Error('its "token" is not a usable token');
    return expiresAt === undefined ? { kind: 'token', token } : { kind: 'token', token, expiresAt };
  }
  if (accessKey === undefined || secretKey === undefined) {
    throw new Error('its JSON has neither "token" nor both "access_key" and "secret_key"');
  }
  if (!/^[^\s,;=]+$/.test(accessKey)) throw new Error('its "access_key" contains invalid characters');
  if (/[\u0000-\u001f\u007f]/.test(secretKey))
    throw new Error('its "secret_key" contains control characters');
  const securityToken = optionalString(raw, 'security_token');
  if (securityToken !== undefined && /[\u0000-\u001f\u007f]/.test(securityToken)) {
    throw new Error('its "security_token" contains control characters');
  }
  const out: CommandOutput = { kind: 'aksk', accessKey, secretKey };
  if (securityToken !== undefined) out.securityToken = securityToken;
  if (expiresAt !== undefined) out.expiresAt = expiresAt;
  return out;
}
