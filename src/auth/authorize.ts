/**
 * Putting a credential on a request, and what to say when the API refuses it.
 */
import type { ApiRequest, Authorize } from '../api/http.js';
import { quote } from '../core/text.js';
import { type Credential, loginCommand } from './credential.js';

/**
 * Puts the credential on a request: X-Auth-Token, or an SDK-HMAC-SHA256 signature over the request
 * as sent (fresh X-Sdk-Date on every call, so every attempt is signed anew). HSS calls also carry
 * X-Project-Id when signed, as the official SDKs send it.
 */
export function authorizerFor(credential: Credential, projectId?: string): Authorize {
  if (credential.kind === 'token') {
    return (request: ApiRequest) => ({ ...request.headers, 'X-Auth-Token': credential.token });
  }
  const keys = {
    accessKey: credential.accessKey,
    secretKey: credential.secretKey,
    ...(credential.securityToken ? { securityToken: credential.securityToken } : {}),
  };
  return async (request: ApiRequest) => {
    const { signRequest } = await import('./signer.js');
    const headers =
      projectId === undefined ? request.headers : { ...request.headers, 'X-Project-Id': projectId };
    const signable = { method: request.method, url: request.url, headers };
    return signRequest(request.body === undefined ? signable : { ...signable, body: request.body }, keys);
  };
}

/** For 401/403 answers: how to get a working credential again. */
export function authHintFor(credential: Credential): string {
  const { source } = credential;
  if (source === 'env:HSS_TOKEN') return 'HSS_TOKEN was refused: it may have expired; set a fresh token';
  if (source === 'stdin')
    return 'the token from --token-stdin was refused: it may have expired; get a fresh one';
  if (source === 'env:HUAWEICLOUD_SDK_AK') {
    return credential.kind === 'aksk' && credential.securityToken
      ? 'the temporary key in HUAWEICLOUD_SDK_AK/SK/SECURITY_TOKEN was refused: it may have expired; get a fresh one'
      : 'the key pair in HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK was refused: check both (5 failures in a row lock the key for 5 minutes)';
  }
  if (source.startsWith('login:')) {
    // A login cached from an earlier session of the endpoint (a restarted sandbox) keeps winning over
    // the profile's own credentials until it is dropped.
    const name = source.slice('login:'.length);
    return `the cached login of profile ${quote(name)} was refused: drop it with \`hss auth logout -p ${name}\`, then log in again with \`${loginCommand(name)}\``;
  }
  if (source.startsWith('command:')) {
    const name = source.slice('command:'.length);
    return `the credential from the command of profile ${quote(name)} was refused; check what it prints, then \`hss auth logout -p ${name}\` to drop any cached output`;
  }
  if (source.startsWith('file:')) {
    return `the key pair in ${source.slice('file:'.length)} was refused: check ak and sk in its [basic] section`;
  }
  if (source.startsWith('profile:')) {
    const name = source.slice('profile:'.length);
    return credential.kind === 'aksk'
      ? `the key pair stored in profile ${quote(name)} was refused: store a fresh one with \`hss profile set ${name} --ak AK --sk-stdin\``
      : `the token stored in profile ${name} was refused: store a fresh one with \`hss profile set ${name} --token-stdin\``;
  }
  return 'the credential was refused: it may have expired; get a fresh one';
}

/** `SAND…0000`: enough of an access key ID to recognise it. */
export function maskAccessKey(accessKey: string): string {
  if (accessKey.length <= 8) return `${accessKey.slice(0, 2)}…`;
  return `${accessKey.slice(0, 4)}…${accessKey.slice(-4)}`;
}
