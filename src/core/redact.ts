/**
 * The one redaction function. Every secret hss reads (tokens, SK, passwords, security tokens) is
 * registered here the moment it is read; everything written to stdout or stderr passes through
 * `redact`, and headers shown by --debug or --dry-run through `redactHeaders`.
 */
const secrets = new Set<string>();
export const MASK = '***';

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

/** Environment variables that hold secrets (SDK names as the official tools read them). */
export const SECRET_ENV_VARS = ['HSS_TOKEN', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN'] as const;

/** Registers the secrets of the environment, before anything (even a usage error) is printed. */
export function registerEnvSecrets(env: Record<string, string | undefined>): void {
  for (const name of SECRET_ENV_VARS) registerSecret(env[name]);
}

export function redact(text: string): string {
  // Every occurrence of every secret is found in the original text first, and the covered spans merged,
  // so overlapping or nested secrets are masked whole.
  const spans: Array<[number, number]> = [];
  for (const secret of secrets) {
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
      spans.push([at, at + secret.length]);
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let cursor = 0;
  let open = -1;
  let close = -1;
  for (const [from, to] of spans) {
    if (from >= close) {
      if (open !== -1) {
        out += `${text.slice(cursor, open)}${MASK}`;
        cursor = close;
      }
      open = from;
      close = to;
    } else close = Math.max(close, to);
  }
  return `${out}${text.slice(cursor, open)}${MASK}${text.slice(close)}`;
}

const SECRET_HEADERS = new Set([
  'x-auth-token',
  'x-subject-token',
  'x-security-token',
  'cookie',
  'set-cookie',
]);

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (SECRET_HEADERS.has(lower)) out[name] = MASK;
    else if (lower === 'authorization')
      out[name] = value.replace(/Signature=[0-9a-fA-F]+/, `Signature=${MASK}`);
    else out[name] = redact(value);
  }
  return out;
}

/** Masks secret-looking fields of a JSON value (for request bodies shown by --debug). */
export function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = /password|secret|token|^sk$/i.test(k) && typeof v === 'string' ? MASK : redactJson(v);
    }
    return out;
  }
  return typeof value === 'string' ? redact(value) : value;
}

/** Shows that a secret is set without showing it. */
export function maskSecret(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return `${MASK} (${value.length} chars)`;
}
