/**
 * How requests reach the network. node:http(s) when nothing special is asked for (node-transport.ts),
 * so a plain run pays nothing for proxies it does not use; undici's fetch with an EnvHttpProxyAgent, loaded on the
 * first request, when a proxy variable is set, a CA bundle is given, or NODE_TLS_REJECT_UNAUTHORIZED=0
 * tries to turn certificate checks off (hss keeps them on whatever the environment says).
 */
import { ConfigError, HssError, UsageError } from '../core/errors.js';
import { READ_LIMIT, readFileUpTo } from '../core/io.js';
import { isLoopback } from '../core/net.js';
import { MASK, registerSecret } from '../core/redact.js';
import { quote } from '../core/text.js';
import { answerText, nodeTransport, type Transport, type TransportResponse } from './node-transport.js';

/** A setting as the transport is handed it: its value, and where it came from (`flag`, `env:NAME`) for messages. */
export interface NamedValue {
  value: string;
  source: string;
}

export interface ProxyUrls {
  http?: NamedValue;
  https?: NamedValue;
  noProxy?: NamedValue;
}

/** What the transport is asked for, as the settings resolved it (src/settings/network.ts). */
export interface TransportSettings {
  proxies: ProxyUrls;
  caBundle?: NamedValue;
  /** The file of NODE_EXTRA_CA_CERTS, whose CAs are kept when a CA bundle replaces Node's roots. */
  extraCaCerts?: string;
  /** NODE_TLS_REJECT_UNAUTHORIZED=0: undici is used, so that certificates are checked all the same. */
  tlsChecksOffAsked?: boolean;
  debug?: (line: string) => void;
}

/**
 * A proxy setting fit for messages, whether or not it parses: what stands between `scheme://` and the
 * last `@` is the user and password; the password (or, without a `:`, all of it) is masked by text.
 */
export function maskProxyUserinfo(text: string): string {
  const at = text.lastIndexOf('@');
  if (at === -1) return text;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  if (at < scheme.length) return text;
  const userinfo = text.slice(scheme.length, at);
  const colon = userinfo.indexOf(':');
  const shown = colon === -1 ? MASK : `${userinfo.slice(0, colon)}:${MASK}`;
  return `${scheme}${shown}${text.slice(at)}`;
}

/** A proxy password, as written and percent-decoded, registered as a secret. */
function registerPassword(password: string): void {
  registerSecret(password);
  try {
    registerSecret(decodeURIComponent(password));
  } catch {
    // not valid percent-encoding: registered as written
  }
}

/** The password of a proxy setting, found by text as maskProxyUserinfo finds it (the URL may not parse). */
function registerProxyPassword(text: string): void {
  const at = text.lastIndexOf('@');
  if (at === -1) return;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  if (at < scheme.length) return;
  const userinfo = text.slice(scheme.length, at);
  const colon = userinfo.indexOf(':');
  registerPassword(colon === -1 ? userinfo : userinfo.slice(colon + 1));
}

/** A proxy URL as a URL (a bare `host:port` means http, as for curl); its password becomes a secret. */
export function parseProxyUrl(setting: NamedValue): URL {
  // Before anything can fail: a URL that does not parse still must not show its password.
  registerProxyPassword(setting.value);
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(setting.value) ? setting.value : `http://${setting.value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(
      `${setting.source.slice(4)} ${quote(maskProxyUserinfo(setting.value))}: not a proxy URL`,
      { hint: 'use e.g. http://proxy.example.com:3128' },
    );
  }
  // The parser may have percent-encoded what the text left bare.
  if (url.password) registerPassword(url.password);
  if (!['http:', 'https:', 'socks5:', 'socks:'].includes(url.protocol)) {
    throw new ConfigError(
      `${setting.source.slice(4)}: proxy scheme ${quote(url.protocol)} is not supported; use http://, https:// or socks5://`,
    );
  }
  return url;
}

/** A proxy URL fit for messages: no user name or password. */
export function describeProxy(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every PEM certificate of a file, each checked to be one. */
export function loadCaBundle(setting: NamedValue): string[] {
  const what = setting.source === 'flag' ? '--ca-bundle' : setting.source.slice(4);
  const refuse = (why: string): never => {
    const message = `${what} ${quote(setting.value)}: ${why}`;
    const hint = 'give a PEM file of one or more CA certificates (-----BEGIN CERTIFICATE-----)';
    throw setting.source === 'flag' ? new UsageError(message, { hint }) : new ConfigError(message, { hint });
  };
  let text: string;
  try {
    text = readFileUpTo(setting.value, READ_LIMIT);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return refuse(code === 'EFBIG' ? 'it is larger than 4 MiB' : `cannot read it (${code ?? 'unreadable'})`);
  }
  const pems = text.match(PEM_CERTIFICATE) ?? [];
  if (pems.length === 0) refuse('holds no PEM certificate');
  return pems;
}

/** Certificates of NODE_EXTRA_CA_CERTS; Node itself already warned at start-up if it is unreadable. */
function extraCaCerts(file: string | undefined): string[] {
  if (!file) return [];
  try {
    return readFileUpTo(file, READ_LIMIT).match(PEM_CERTIFICATE) ?? [];
  } catch {
    return [];
  }
}

/** True when a request needs undici rather than Node's fetch. */
export function needsUndici(settings: TransportSettings): boolean {
  const { proxies } = settings;
  return (
    proxies.http !== undefined ||
    proxies.https !== undefined ||
    settings.caBundle !== undefined ||
    settings.tlsChecksOffAsked === true
  );
}

/**
 * The transport the HTTP client uses. Bad settings (an unreadable CA bundle, a malformed proxy URL) are
 * reported by the first call, before anything is sent.
 */
export function createTransport(settings: TransportSettings): Transport {
  if (!needsUndici(settings)) return nodeTransport;
  let transport: Promise<Transport> | undefined;
  return async (url, init) => {
    transport ??= undiciTransport(settings).catch((error: unknown) => {
      if (error instanceof HssError) throw error;
      // A set-up failure is a bug, not a network error to retry.
      throw new HssError(
        'INTERNAL',
        1,
        `internal error: cannot set up the HTTP transport: ${String(error)}`,
        {
          cause: error,
        },
      );
    });
    // A failed set-up is reported on every call, never cached as a half-built transport.
    const send = await transport.catch((error: unknown) => {
      transport = undefined;
      throw error;
    });
    return send(url, init);
  };
}

async function undiciTransport(settings: TransportSettings): Promise<Transport> {
  const { debug, proxies } = settings;
  const httpProxy = proxies.http ? parseProxyUrl(proxies.http) : undefined;
  const httpsProxy = proxies.https ? parseProxyUrl(proxies.https) : undefined;
  let ca: string[] | undefined;
  if (settings.caBundle) {
    const bundle = loadCaBundle(settings.caBundle);
    const { rootCertificates } = process.getBuiltinModule('node:tls');
    // Giving `ca` replaces Node's roots, so the system roots and NODE_EXTRA_CA_CERTS are added back.
    ca = [...rootCertificates, ...extraCaCerts(settings.extraCaCerts), ...bundle];
    debug?.(
      `CA bundle ${settings.caBundle.value} (${bundle.length} certificate${bundle.length === 1 ? '' : 's'}) added to the system roots`,
    );
  }
  // undici is CommonJS: its exports are the default export once bundled.
  const { default: undici } = await import('undici');
  const { Agent, Client, EnvHttpProxyAgent, Pool, fetch: undiciFetchImpl } = undici;
  const tls = { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
  // undici's pools keep connecting for a queued request when a connection attempt ends in a closed
  // socket (the errors below): a proxy that closes every CONNECT was met with thousands of tunnels a
  // second. Here such an attempt fails the request, like any failed connection, and the HTTP client's
  // retry policy (attempts, backoff) decides what comes next.
  const factory = (origin: string | URL, options: Record<string, unknown>) => {
    const connect = options['connect'];
    const connections = options['connections'];
    const opts =
      typeof connect === 'function'
        ? { ...options, connect: failClosedTunnel(connect as Connector) }
        : options;
    return connections === 1 ? new Client(origin, opts) : new Pool(origin, opts);
  };
  const proxied = httpProxy !== undefined || httpsProxy !== undefined;
  if (httpProxy) debug?.(`proxy for http:// ${describeProxy(httpProxy)} (${proxies.http?.source})`);
  if (httpsProxy) debug?.(`proxy for https:// ${describeProxy(httpsProxy)} (${proxies.https?.source})`);
  if (proxies.noProxy) debug?.(`no proxy for ${proxies.noProxy.value} (${proxies.noProxy.source})`);
  // undici's own types describe the same objects as Node's fetch types, but are distinct declarations.
  const send = undiciFetchImpl as unknown as (
    url: URL,
    init: Omit<RequestInit, 'dispatcher'> & { dispatcher: unknown },
  ) => Promise<Response>;
  return async (url, init) => {
    // Plain http is only ever sent to loopback; a proxy elsewhere could not reach it and the request
    // would cross the network in clear, so only a proxy on loopback itself is used for it.
    const bypass = url.protocol === 'http:' && httpProxy !== undefined && !isLoopback(httpProxy.hostname);
    // One dispatcher for each attempt, destroyed with its answer: no socket, tunnel or connection
    // attempt outlives it to keep the process running or to go on knocking at a proxy.
    const dispatcher =
      bypass || !proxied
        ? new Agent({ connect: tls, factory })
        : new EnvHttpProxyAgent({
            // Empty strings, not undefined: undici would fall back to process.env.
            httpProxy: httpProxy?.href ?? '',
            httpsProxy: httpsProxy?.href ?? '',
            noProxy: proxies.noProxy?.value ?? '',
            connect: tls,
            requestTls: tls,
            proxyTls: tls,
            factory,
          });
    const { maxBytes, ...rest } = init;
    try {
      const res = await send(url, { ...rest, dispatcher });
      return await limitedAnswer(res, maxBytes ?? Number.POSITIVE_INFINITY);
    } finally {
      dispatcher.destroy().catch(() => {});
    }
  };
}

type Connector = (options: unknown, callback: (error: Error | null, socket: unknown) => void) => void;

/** Socket errors undici's pools answer by connecting again rather than failing the queued request. */
const RECONNECTING_CODES = new Set(['UND_ERR_SOCKET', 'UND_ERR_INFO']);

/** A connector whose closed-socket failures fail the request (as ECONNRESET) instead of looping. */
function failClosedTunnel(connect: Connector): Connector {
  return (options, callback) =>
    connect(options, (error, socket) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (error && typeof code === 'string' && RECONNECTING_CODES.has(code)) {
        const closed = new Error(
          `the proxy closed the connection instead of opening a tunnel (${error.message})`,
        );
        callback(Object.assign(closed, { code: 'ECONNRESET' }), null);
        return;
      }
      callback(error, socket);
    });
}

/** A fetch Response as the client reads it, its body read up to `limit` bytes and no further. */
async function limitedAnswer(res: Response, limit: number): Promise<TransportResponse> {
  const text = await answerText(res, limit);
  return { status: res.status, statusText: res.statusText, headers: res.headers, text: async () => text };
}
