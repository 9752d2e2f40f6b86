/**
 * Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), byte-compatible with the official SDKs
 * (reference: `@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js`, checked by a differential test).
 *
 * Canonical request = method, canonical path, canonical query, canonical headers, signed-header list,
 * hex(sha256(body)), joined by `\n`. Notes on how the official signer behaves and what we do:
 * - Path: every `/`-separated segment of the *unencoded* path is percent-encoded with the RFC 3986
 *   unreserved set (`A-Z a-z 0-9 - . _ ~` stay), and a `/` is appended when missing. The SDK feeds the
 *   raw path (path parameters are substituted unencoded); a WHATWG `URL` always holds the encoded form,
 *   so we percent-decode each segment first (invalid escapes stay literal) and then encode it again.
 * - Query: keys sorted by UTF-16 code units *before* encoding; a repeated key emits one `k=v` per value,
 *   values sorted the same way; an empty or missing value gives `k=`. Keys and values are taken decoded
 *   from `URLSearchParams` (so `+` is a space), exactly what the server sees.
 * - Headers: names lowercased and sorted (code units); `host` is always signed (the Host header when
 *   given, else `url.host`, which omits a default port). Values are trimmed of HTTP whitespace because
 *   that is what travels on the wire (fetch strips it; servers strip it); the Node SDK signs the raw
 *   value, which no server could reproduce. Header names differing only in case are merged `a, b`, like
 *   fetch's `Headers` does. A multipart `content-type` is not signed (as in the SDK), and a signed
 *   `X-Sdk-Content-Sha256` header replaces the body hash (e.g. `UNSIGNED-PAYLOAD`), as in the SDK.
 */
// node:crypto is loaded on first use: initialising it costs every run several megabytes and
// milliseconds, and most runs sign nothing (a token) or run no credential command.
const crypto = () => process.getBuiltinModule('node:crypto');

export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string;
}

const ALGORITHM = 'SDK-HMAC-SHA256';
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HTTP_WS_EDGES = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function sha256Hex(data: string | Uint8Array): string {
  return crypto().createHash('sha256').update(data).digest('hex');
}

/** RFC 3986 encoding: everything except `A-Za-z0-9-._~` as `%XX` (upper-case hex) of the UTF-8 bytes. */
function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Decodes runs of valid `%XX` UTF-8 escapes; anything that is not valid stays as written. */
function decodePercent(s: string): string {
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** `20240101T000000Z` (UTC). */
export function formatSdkDate(d: Date): string {
  const iso = d.toISOString(); // RangeError for an invalid date
  if (iso.length !== 24) throw new RangeError('X-Sdk-Date needs a year between 0000 and 9999');
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** Lowercased name → value as sent on the wire (edges trimmed, case variants merged with `, `). */
function normalizeHeaders(headers: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, raw] of Object.entries(headers)) {
    const key = name.toLowerCase();
    const value = String(raw).replace(HTTP_WS_EDGES, '');
    const prev = out.get(key);
    out.set(key, prev === undefined ? value : `${prev}, ${value}`);
  }
  return out;
}

function canonicalPath(url: URL): string {
  const path = url.pathname
    .split('/')
    .map((segment) => encodeRfc3986(decodePercent(segment)))
    .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

function canonicalQuery(url: URL): string {
  const groups = new Map<string, string[]>();
  for (const [key, value] of url.searchParams) {
    const values = groups.get(key);
    if (values) values.push(value);
    else groups.set(key, [value]);
  }
  const parts: string[] = [];
  for (const key of [...groups.keys()].sort()) {
    const encodedKey = encodeRfc3986(key);
    // Stryker disable next-line ArrayDeclaration: every key comes from the map, so the fallback never applies
    for (const value of (groups.get(key) ?? []).sort()) parts.push(`${encodedKey}=${encodeRfc3986(value)}`);
  }
  return parts.join('&');
}

/** The canonical request over the given (lowercase) signed header names, in the given order. */
export function canonicalRequest(req: SignableRequest, signedHeaders: string[]): string {
  const headers = normalizeHeaders(req.headers);
  const names = signedHeaders.map((n) => n.toLowerCase());
  let canonicalHeaders = '';
  for (const name of names) {
    const value = name === 'host' ? (headers.get('host') ?? req.url.host) : headers.get(name);
    if (value === undefined) throw new Error(`signed header "${name}" is missing from the request`);
    canonicalHeaders += `${name}:${value}\n`;
  }
  const contentSha = names.includes('x-sdk-content-sha256') ? headers.get('x-sdk-content-sha256') : undefined;
  const payloadHash = contentSha ?? sha256Hex(req.body ?? '');
  return [
    req.method,
    canonicalPath(req.url),
    canonicalQuery(req.url),
    canonicalHeaders,
    names.join(';'),
    payloadHash,
  ].join('\n');
}

/** hex(hmac_sha256(SK, "SDK-HMAC-SHA256\n{sdkDate}\n{hex(sha256(canonical request))}")). */
export function signatureFor(
  req: SignableRequest,
  secretKey: string,
  signedHeaders: string[],
  sdkDate: string,
): string {
  const stringToSign = `${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest(req, signedHeaders))}`;
  return crypto().createHmac('sha256', secretKey).update(stringToSign).digest('hex');
}

/**
 * Returns the headers to send: a copy of req.headers plus X-Sdk-Date (unless already present),
 * X-Security-Token (when securityToken), and Authorization. Host is signed (from req.url.host, or a Host
 * header if given) but not added to the returned headers.
 */
export function signRequest(
  req: SignableRequest,
  creds: AkSkCredentials,
  now?: Date,
): Record<string, string> {
  if (!creds.accessKey || !creds.secretKey) {
    throw new Error('AK/SK signing needs a non-empty access key and secret key');
  }
  if (!/^[^\s,;=]+$/.test(creds.accessKey)) throw new Error('the access key contains invalid characters');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') continue; // re-signing: never sign an old signature
    if (creds.securityToken && lower === 'x-security-token') continue;
    out[name] = value;
  }
  if (!Object.keys(out).some((n) => n.toLowerCase() === 'x-sdk-date')) {
    out['X-Sdk-Date'] = formatSdkDate(now ?? new Date());
  }
  if (creds.securityToken) out['X-Security-Token'] = creds.securityToken;
  for (const [name, value] of Object.entries(out)) {
    if (!HEADER_TOKEN.test(name)) throw new Error(`invalid header name ${JSON.stringify(name)}`);
    if (/[\r\n\0]/.test(String(value))) throw new Error(`header "${name}" has an invalid value`);
  }

  const headers = normalizeHeaders(out);
  const signed = new Set(headers.keys());
  signed.add('host');
  if (headers.get('content-type')?.includes('multipart/form-data')) signed.delete('content-type');
  const signedHeaders = [...signed].sort();
  const sdkDate =
    headers.get('x-sdk-date') ??
    // Stryker disable next-line StringLiteral: X-Sdk-Date was set above, so the fallback never applies
    '';
  const signature = signatureFor({ ...req, headers: out }, creds.secretKey, signedHeaders, sdkDate);
  out['Authorization'] =
    `${ALGORITHM} Access=${creds.accessKey}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return out;
}

const AUTHORIZATION =
  /^SDK-HMAC-SHA256 +Access=([^\s,;=]+), *SignedHeaders=([^\s,]+), *Signature=([0-9a-fA-F]{64})$/;

/**
 * Server side (used by the local sandbox emulator): parse Authorization, recompute over the listed
 * SignedHeaders (host taken from the Host header), compare in constant time.
 */
export function verifyRequest(
  req: SignableRequest,
  lookupSecret: (accessKey: string) => string | undefined,
): { ok: true; accessKey: string } | { ok: false; reason: string } {
  const headers = normalizeHeaders(req.headers);
  const authorization = headers.get('authorization');
  if (authorization === undefined) return { ok: false, reason: 'missing Authorization header' };
  const match = AUTHORIZATION.exec(authorization);
  if (!match) return { ok: false, reason: 'malformed Authorization header' };
  // Stryker disable next-line StringLiteral: the three groups always take part in a match; the defaults only satisfy the types
  const [, accessKey = '', list = '', signature = ''] = match;
  const signedHeaders = list.split(';');
  if (
    signedHeaders.some((n) => !HEADER_TOKEN.test(n) || n !== n.toLowerCase()) ||
    new Set(signedHeaders).size !== signedHeaders.length
  ) {
    return { ok: false, reason: 'malformed SignedHeaders in Authorization header' };
  }
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-sdk-date')) {
    return { ok: false, reason: 'SignedHeaders must include host and x-sdk-date' };
  }
  if (signedHeaders.includes('authorization')) {
    return { ok: false, reason: 'SignedHeaders must not include authorization' };
  }
  const sdkDate =
    headers.get('x-sdk-date') ??
    // Stryker disable next-line StringLiteral: a missing date is refused as malformed, whatever stands in for it
    '';
  if (!/^\d{8}T\d{6}Z$/.test(sdkDate)) {
    return { ok: false, reason: 'missing or malformed X-Sdk-Date header' };
  }
  const secretKey = lookupSecret(accessKey);
  if (secretKey === undefined) return { ok: false, reason: 'unknown access key' };
  let expected: string;
  try {
    expected = signatureFor(req, secretKey, signedHeaders, sdkDate);
  } catch (err) {
    // Stryker disable next-line StringLiteral: canonicalRequest throws only Error objects
    return { ok: false, reason: err instanceof Error ? err.message : 'cannot build the canonical request' };
  }
  const same = crypto().timingSafeEqual(
    Buffer.from(expected, 'hex'),
    // Stryker disable next-line MethodExpression: hex decoding ignores case; the call only states the intent
    Buffer.from(signature.toLowerCase(), 'hex'),
  );
  return same ? { ok: true, accessKey } : { ok: false, reason: 'signature mismatch' };
}
