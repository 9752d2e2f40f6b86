/**
 * Which credential a call uses, and how it is put on a request.
 *
 * Order: --token-stdin; HSS_TOKEN; HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK (+ _SECURITY_TOKEN); the
 * profile's own (a cached `hss auth login`, else its `auth` kind: token | aksk | password | command);
 * the official SDKs' credentials file. A profile named explicitly (--profile / HSS_PROFILE) that has
 * credentials of its own goes first: naming it is the more specific wish.
 *
 * Finding a credential (`planCredential`) only reads settings, the environment and files; running a
 * credential command or checking a login's expiry happens in `load()`, so `hss config show` can say
 * which source is in effect without running anything.
 */
import { ConfigError } from '../core/errors.js';
import { registerSecret } from '../core/redact.js';
import { quote } from '../core/text.js';
import { exposedMode } from '../settings/trust.js';
import {
  akskCredential,
  type Credential,
  type CredentialPlan,
  type CredentialSources,
  ready,
  tokenCredential,
} from './credential.js';
import type { readCredentialsFile } from './credentials-file.js';
import { fromProfile } from './profile-credentials.js';

function fromEnvAkSk(env: Record<string, string | undefined>): CredentialPlan | undefined {
  const ak = env['HUAWEICLOUD_SDK_AK'];
  const sk = env['HUAWEICLOUD_SDK_SK'];
  const securityToken = env['HUAWEICLOUD_SDK_SECURITY_TOKEN'] || undefined;
  registerSecret(sk);
  registerSecret(securityToken);
  if (!ak && !sk) return undefined;
  if (!ak || !sk) {
    throw new ConfigError(
      `${ak ? 'HUAWEICLOUD_SDK_AK' : 'HUAWEICLOUD_SDK_SK'} is set but ${ak ? 'HUAWEICLOUD_SDK_SK' : 'HUAWEICLOUD_SDK_AK'} is not`,
      { hint: 'set both HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or neither' },
    );
  }
  const source = 'env:HUAWEICLOUD_SDK_AK';
  return ready('aksk', source, () =>
    akskCredential(ak, sk, securityToken, source, 'environment HUAWEICLOUD_SDK_AK'),
  );
}

async function fromSdkFile(sources: CredentialSources): Promise<CredentialPlan | undefined> {
  let file: Awaited<ReturnType<typeof readCredentialsFile>>;
  try {
    const { readCredentialsFile } = await import('./credentials-file.js');
    file = await readCredentialsFile(sources.env, sources.homeDir);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError((error as Error).message, {
      hint: 'fix the file, or point HUAWEICLOUD_SDK_CREDENTIALS_FILE elsewhere',
    });
  }
  if (!file) return undefined;
  registerSecret(file.secretKey);
  registerSecret(file.securityToken);
  if (!file.accessKey && !file.secretKey) return undefined;
  const mode = exposedMode(file.path);
  if (mode !== undefined) {
    sources.warn?.(
      `the credentials file ${file.path} can be read by other users (mode ${mode.toString(8)}); run \`chmod 600 ${file.path}\``,
    );
  }
  const { accessKey, secretKey, path } = file;
  if (!accessKey || !secretKey) {
    throw new ConfigError(
      `the credentials file ${path} has ${accessKey ? 'ak but no sk' : 'sk but no ak'} in [basic]`,
      {
        hint: 'give both ak and sk in its [basic] section',
      },
    );
  }
  const source = `file:${path}`;
  return ready('aksk', source, () => {
    const credential = akskCredential(
      accessKey,
      secretKey,
      file.securityToken,
      source,
      `the credentials file ${path}`,
    );
    if (file.projectId) credential.projectId = file.projectId;
    if (file.iamEndpoint) credential.iamEndpoint = file.iamEndpoint;
    return credential;
  });
}

/** Finds the credential source in effect, without running commands or checking expiry. */
export async function planCredential(sources: CredentialSources): Promise<CredentialPlan | undefined> {
  const { env, settings } = sources;
  if (settings.profileExplicit) {
    const own = fromProfile(sources);
    if (own) {
      const shadowed = [
        sources.stdinToken !== undefined ? '--token-stdin' : undefined,
        env['HSS_TOKEN'] ? 'HSS_TOKEN' : undefined,
        env['HUAWEICLOUD_SDK_AK'] ? 'HUAWEICLOUD_SDK_AK/SK' : undefined,
      ].filter((x) => x !== undefined);
      if (shadowed.length) {
        sources.warn?.(
          `${shadowed.join(', ')} ignored: profile ${quote(settings.profileName.value)} was named explicitly and its own credentials win`,
        );
      }
      return own;
    }
  }
  if (sources.stdinToken !== undefined) {
    const token = sources.stdinToken;
    return ready('token', 'stdin', () => tokenCredential(token, 'stdin', 'standard input (--token-stdin)'));
  }
  const envToken = env['HSS_TOKEN'];
  if (envToken) return ready('token', 'env:HSS_TOKEN', () => tokenCredential(envToken, 'env:HSS_TOKEN'));
  const envKeys = fromEnvAkSk(env);
  if (envKeys) return envKeys;
  if (!settings.profileExplicit) {
    const own = fromProfile(sources);
    if (own) return own;
  }
  return fromSdkFile(sources);
}

export async function requireCredential(sources: CredentialSources): Promise<Credential> {
  const plan = await planCredential(sources);
  if (plan) return plan.load();
  throw noCredentials();
}

export function noCredentials(): ConfigError {
  return new ConfigError('no credentials found', {
    hint: 'set HSS_TOKEN or HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK, pipe a token to --token-stdin, log in with `hss auth login`, or store credentials with `hss profile set NAME …` (see docs/authentication.md)',
  });
}

export { authHintFor, authorizerFor, maskAccessKey } from './authorize.js';
export type { Credential, CredentialPlan, CredentialSources } from './credential.js';
export { loginCommand } from './credential.js';
