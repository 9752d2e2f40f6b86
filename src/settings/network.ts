/**
 * The settings of every request, none of which a profile holds: the per-request timeout, the attempts
 * for retryable failures, an extra CA bundle, the proxies, and what Node's own variables ask of TLS.
 * The transport (src/api/transport.ts) is handed these as plain values.
 */
import { parseDuration, parseInteger } from '../core/duration.js';
import type { GlobalFlags } from './flags.js';
import { type Env, fromEnv, type Resolved } from './source.js';

export interface ProxySettings {
  http?: Resolved<string>;
  https?: Resolved<string>;
  noProxy?: Resolved<string>;
}

export interface NetworkSettings {
  /** As given (`30s`, `2m`); read by timeoutMs when a client is made. */
  timeout: Resolved<string>;
  /** As given; read by maxAttempts when a client is made. */
  maxAttempts: Resolved<string>;
  caBundle?: Resolved<string>;
  proxies: ProxySettings;
  /** NODE_EXTRA_CA_CERTS: Node's extra CAs, kept when a CA bundle adds more. */
  extraCaCerts?: string;
  /** NODE_TLS_REJECT_UNAUTHORIZED=0 asks for no certificate checks (hss keeps them on all the same). */
  tlsChecksOffAsked: boolean;
}

/** Proxy variables, lower case first as curl and undici read them; blank ones are unset. */
export function proxySettings(env: Env): ProxySettings {
  const out: ProxySettings = {};
  const http = fromEnv(env, ['http_proxy', 'HTTP_PROXY'], { trim: true });
  const https = fromEnv(env, ['https_proxy', 'HTTPS_PROXY'], { trim: true });
  const noProxy = fromEnv(env, ['no_proxy', 'NO_PROXY'], { trim: true });
  if (http) out.http = http;
  if (https) out.https = https;
  if (noProxy) out.noProxy = noProxy;
  return out;
}

/** The CA bundle named by --ca-bundle or HSS_CA_BUNDLE, if any. */
export function caBundleSetting(flag: string | undefined, env: Env): Resolved<string> | undefined {
  if (flag !== undefined) return { value: flag, source: 'flag' };
  return fromEnv(env, ['HSS_CA_BUNDLE'], { trim: true });
}

/** A flag, else a variable (an empty one is unset), else the default. */
function flagEnvDefault(
  flag: string | undefined,
  env: Env,
  name: string,
  fallback: string,
): Resolved<string> {
  if (flag !== undefined) return { value: flag, source: 'flag' };
  return fromEnv(env, [name]) ?? { value: fallback, source: 'default' };
}

export function resolveNetwork(
  flags: Pick<GlobalFlags, 'timeout' | 'maxAttempts' | 'caBundle'>,
  env: Env,
): NetworkSettings {
  const settings: NetworkSettings = {
    timeout: flagEnvDefault(flags.timeout, env, 'HSS_TIMEOUT', '30s'),
    maxAttempts: flagEnvDefault(flags.maxAttempts, env, 'HSS_MAX_ATTEMPTS', '3'),
    proxies: proxySettings(env),
    tlsChecksOffAsked: env['NODE_TLS_REJECT_UNAUTHORIZED'] === '0',
  };
  const caBundle = caBundleSetting(flags.caBundle, env);
  if (caBundle) settings.caBundle = caBundle;
  const extraCaCerts = env['NODE_EXTRA_CA_CERTS'];
  if (extraCaCerts) settings.extraCaCerts = extraCaCerts;
  return settings;
}

/** The flag or variable a setting came from, for its error messages. */
function named(setting: Resolved<string>, flag: string): string {
  return setting.source.startsWith('env:') ? setting.source.slice(4) : flag;
}

/** The per-request timeout in ms; a bad value is an exit-2 error naming where it came from. */
export function timeoutMs(settings: NetworkSettings): number {
  return parseDuration(settings.timeout.value, named(settings.timeout, '--timeout'));
}

/** The attempts for a retryable failure (1–10); a bad value is an exit-2 error naming where it came from. */
export function maxAttempts(settings: NetworkSettings): number {
  return parseInteger(settings.maxAttempts.value, named(settings.maxAttempts, '--max-attempts'), 1, 10);
}
