/**
 * What a command handler is given: the world (io), the global flags, the renderer, and lazy accessors
 * for settings, credentials and the API, so a command pays only for what it uses.
 */

import { HssApi } from '../api/hss.js';
import { type Authorize, HttpClient } from '../api/http.js';
import type { StoreFile } from '../api/schemas.js';
import { caBundleSetting, createFetch, type Fetch } from '../api/transport.js';
import { cachePath, prepareCache } from '../auth/cache.js';
import {
  authHintFor,
  authorizerFor,
  type Credential,
  type CredentialSources,
  requireCredential,
} from '../auth/credentials.js';
import { parseDuration, parseInteger } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { configDir, type Io, readAll } from '../core/io.js';
import { quote } from '../core/text.js';
import { userAgent } from '../core/version.js';
import type { Renderer } from '../output/renderer.js';
import {
  type GlobalFlags,
  KNOWN_REGIONS,
  type Resolved,
  requireEndpoint,
  resolveSettings,
  type Settings,
} from '../settings/resolve.js';
import {
  exposedMode,
  interruptStoreWritesOn,
  prepareStore,
  readStore,
  storeMode,
  storePath,
} from '../settings/store.js';

export interface Context {
  io: Io;
  flags: GlobalFlags;
  renderer: Renderer;
  configDir: string;
  settings(): Settings;
  /** The profile store as it is on disk (warns once per run when others can read it). */
  readStore(): StoreFile;
  /** Standard input, read once, for whichever option claimed it. */
  stdinText(purpose: string): Promise<string>;
  /** Where credentials would be looked up: the environment, settings, stdin token, files. */
  credentialSources(): Promise<CredentialSources>;
  credential(): Promise<Credential>;
  /** The project ID of HSS calls: from the settings, the login token, or IAM (remembered in the profile). */
  projectId(options?: { offline?: boolean }): Promise<Resolved<string>>;
  http(authHint?: string): HttpClient;
  /** `offline`: for --dry-run, which sends nothing, not even an IAM project lookup. */
  hss(options?: { offline?: boolean }): Promise<HssApi>;
}

export { userAgent };

/**
 * What createContext needs loaded first: the store's schema (and zod) when a store file exists. A run
 * without one never loads zod for it. A config folder that cannot be named is reported by createContext.
 */
export async function prepareContext(io: Io): Promise<void> {
  let dir: string;
  try {
    dir = configDir(io);
  } catch {
    return;
  }
  await Promise.all([prepareStore(dir), prepareCache(dir)]);
}

export function createContext(io: Io, flags: GlobalFlags, renderer: Renderer): Context {
  let settings: Settings | undefined;
  let stdinClaim: string | undefined;
  let stdinPromise: Promise<string> | undefined;
  let credential: Promise<Credential> | undefined;
  let projectId: Promise<Resolved<string>> | undefined;
  let transport: Fetch | undefined;
  let storeChecked = false;
  const dir = configDir(io);
  interruptStoreWritesOn(io.signal);
  try {
    // Registers the stored secrets before anything can print a value the user typed (a stored token
    // pasted as an argument is masked in the usage error too). A bad store is reported when used.
    readStore(dir);
  } catch {}

  // The store and the credential cache hold secrets: say so once per run when group or others may read one.
  const checkStoreMode = () => {
    if (storeChecked || io.platform === 'win32') return;
    storeChecked = true;
    const mode = storeMode(dir);
    if (mode !== undefined && (mode & 0o077) !== 0) {
      const file = storePath(dir);
      renderer.warn(
        `the profile store ${file} can be read by other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${file}\``,
      );
    }
    const cache = cachePath(dir);
    const cacheMode = exposedMode(cache);
    if (cacheMode !== undefined) {
      renderer.warn(
        `the credential cache ${cache} can be read by other users (mode ${cacheMode.toString(8)}); run \`chmod 600 ${cache}\``,
      );
    }
  };

  const ctx: Context = {
    io,
    flags,
    renderer,
    configDir: dir,
    settings() {
      if (!settings) {
        settings = resolveSettings(flags, io.env, dir);
        const region = settings.region;
        if (region && !KNOWN_REGIONS.has(region.value)) {
          const endpoint = settings.endpoint?.source.startsWith('derived:')
            ? `; using ${settings.endpoint.value}`
            : '';
          renderer.warn(`region ${quote(region.value)} is not one hss knows${endpoint}`);
        }
        checkStoreMode();
      }
      return settings;
    },
    readStore() {
      const store = readStore(dir);
      checkStoreMode();
      return store;
    },
    stdinText(purpose) {
      if (stdinClaim !== undefined && stdinClaim !== purpose) {
        throw new UsageError(`standard input can feed only one of ${stdinClaim} and ${purpose}`, {
          hint: 'give the other one from a file or the environment (e.g. HSS_TOKEN instead of --token-stdin)',
        });
      }
      stdinClaim = purpose;
      if (!stdinPromise) renderer.debug(`reading ${purpose} from standard input`);
      stdinPromise ??= readAll(io.stdin, purpose, io.signal);
      return stdinPromise;
    },
    async credentialSources() {
      const sources: CredentialSources = {
        env: io.env,
        settings: ctx.settings(),
        configDir: dir,
        homeDir: io.homeDir,
        signal: io.signal,
        now: () => io.now(),
        warn: (line) => renderer.warn(line),
      };
      if (flags.tokenStdin) sources.stdinToken = (await ctx.stdinText('--token-stdin')).replace(/\r?\n$/, '');
      return sources;
    },
    credential() {
      credential ??= (async () => requireCredential(await ctx.credentialSources()))();
      return credential;
    },
    projectId(options = {}) {
      projectId ??= (async () => {
        const settings = ctx.settings();
        if (settings.projectId) return settings.projectId;
        const cred = await ctx.credential();
        const { resolveProjectId } = await import('../auth/project.js');
        return resolveProjectId({
          settings,
          credential: cred,
          http: ctx.http(authHintFor(cred)),
          configDir: dir,
          debug: (line) => renderer.debug(line),
          warn: (line) => renderer.warn(line),
          offline: options.offline === true,
        });
      })();
      return projectId;
    },
    http(authHint) {
      // An empty variable is unset; an empty flag value is a mistake to report.
      const timeoutFrom = flags.timeout !== undefined ? '--timeout' : 'HSS_TIMEOUT';
      const timeout = flags.timeout ?? (io.env['HSS_TIMEOUT'] || undefined);
      const attemptsFrom = flags.maxAttempts !== undefined ? '--max-attempts' : 'HSS_MAX_ATTEMPTS';
      const attempts = flags.maxAttempts ?? (io.env['HSS_MAX_ATTEMPTS'] || undefined);
      const debug = (line: string) => renderer.debug(line);
      const caBundle = caBundleSetting(flags.caBundle, io.env);
      // One transport per run, so proxy and CA set-up happen once whatever the number of clients.
      transport ??= createFetch(caBundle ? { env: io.env, caBundle, debug } : { env: io.env, debug });
      const options: ConstructorParameters<typeof HttpClient>[0] = {
        timeoutMs: timeout !== undefined ? parseDuration(timeout, timeoutFrom) : 30_000,
        maxAttempts: attempts !== undefined ? parseInteger(attempts, attemptsFrom, 1, 10) : 3,
        userAgent: userAgent(),
        signal: io.signal,
        debug,
        fetch: transport,
      };
      if (authHint) options.authHint = authHint;
      return new HttpClient(options);
    },
    async hss(options = {}) {
      const endpoint = requireEndpoint(ctx.settings());
      const cred = await ctx.credential();
      const project = (await ctx.projectId(options)).value;
      const authorize: Authorize = authorizerFor(cred, project);
      const enterpriseProject = ctx.settings().enterpriseProject?.value;
      const target = { endpoint, projectId: project };
      return new HssApi(
        ctx.http(authHintFor(cred)),
        enterpriseProject === undefined ? target : { ...target, enterpriseProject },
        authorize,
      );
    },
  };
  return ctx;
}
