/**
 * What a command handler is given: the world (io), the global flags, the renderer, the profile store and
 * credential cache as the run found them, and lazy accessors for settings, credentials and the API, so a
 * command pays only for what it uses.
 */

import { HssApi } from '../api/hss.js';
import { type Authorize, HttpClient } from '../api/http.js';
import type { Transport } from '../api/node-transport.js';
import { createTransport } from '../api/transport.js';
import { type CacheFile, cachePath, loadCache, updateCache } from '../auth/cache.js';
import {
  authHintFor,
  authorizerFor,
  type Credential,
  type CredentialSources,
  requireCredential,
} from '../auth/credentials.js';
import { UsageError } from '../core/errors.js';
import { configDir, type Io, readAll } from '../core/io.js';
import { quote } from '../core/text.js';
import { userAgent } from '../core/version.js';
import type { Renderer } from '../output/renderer.js';
import { describeSource } from '../settings/describe.js';
import { hssEndpointFor, KNOWN_REGIONS } from '../settings/endpoints.js';
import type { GlobalFlags } from '../settings/flags.js';
import { maxAttempts, type NetworkSettings, resolveNetwork, timeoutMs } from '../settings/network.js';
import { oneProjectOnly } from '../settings/regions.js';
import { requireEndpoint, resolveSettings, type Settings } from '../settings/resolve.js';
import type { Resolved } from '../settings/source.js';
import { loadStore, storeMode, storePath, updateStore } from '../settings/store.js';
import type { StoreFile } from '../settings/store-schema.js';
import { exposedMode } from '../settings/trust.js';

export interface Context {
  io: Io;
  flags: GlobalFlags;
  renderer: Renderer;
  configDir: string;
  settings(): Settings;
  /** Timeout, attempts, CA bundle and proxies: the settings of every request (the store plays no part). */
  network(): NetworkSettings;
  /** The profile store as the run found it (warns once per run when others can read it). */
  readStore(): StoreFile;
  /** The credential cache as the run found it. */
  readCache(): CacheFile;
  /** Read-modify-write of the store under its lock (src/settings/store.ts); Ctrl-C stops a wait for the lock. */
  updateStore(mutate: (store: StoreFile) => void): Promise<StoreFile>;
  /** Read-modify-write of the credential cache under its lock (src/auth/cache.ts), as updateStore. */
  updateCache(mutate: (cache: CacheFile) => void): Promise<CacheFile>;
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
  /** The HSS calls of one project of several (src/tasks/fleet.ts), with that project's credential. */
  projectApi(target: { region: string; projectId: string }, credential: Credential): HssApi;
}

/** A load whose failure is reported when its result is used, not when the run begins. */
async function later<T>(load: Promise<T>): Promise<() => T> {
  try {
    const value = await load;
    return () => value;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

/**
 * The context of a run. The profile store and the credential cache are read here, once: every reader
 * takes what was read, and a file another process creates or changes later in the run (a parallel
 * `hss profile set`) is seen as it was when the run began. zod is loaded only for a file that exists.
 * Reading the store registers its secrets before anything can print a value the user typed (a stored
 * token pasted as an argument is masked in a usage error too); a bad store is reported when used.
 */
export async function loadContext(io: Io, flags: GlobalFlags, renderer: Renderer): Promise<Context> {
  const dir = configDir(io);
  const [store, cache] = await Promise.all([later(loadStore(dir)), loadCache(dir)]);
  return new RunContext(io, flags, renderer, dir, store, cache);
}

class RunContext implements Context {
  private resolved: Settings | undefined;
  private networkSettings: NetworkSettings | undefined;
  private stdinClaim: string | undefined;
  private stdinPromise: Promise<string> | undefined;
  private credentialPromise: Promise<Credential> | undefined;
  private projectIdPromise: Promise<Resolved<string>> | undefined;
  private transport: Transport | undefined;
  private modesChecked = false;

  constructor(
    readonly io: Io,
    readonly flags: GlobalFlags,
    readonly renderer: Renderer,
    readonly configDir: string,
    private readonly store: () => StoreFile,
    private readonly cache: () => CacheFile,
  ) {}

  settings(): Settings {
    if (!this.resolved) {
      const settings = resolveSettings(this.flags, this.io.env, this.store());
      const region = settings.region;
      if (region && !KNOWN_REGIONS.has(region.value)) {
        const endpoint = settings.endpoint?.source.startsWith('derived:')
          ? `; using ${settings.endpoint.value}`
          : '';
        this.renderer.warn(`region ${quote(region.value)} is not one hss knows${endpoint}`);
      }
      this.resolved = settings;
      this.checkModes();
    }
    return this.resolved;
  }

  network(): NetworkSettings {
    this.networkSettings ??= resolveNetwork(this.flags, this.io.env);
    return this.networkSettings;
  }

  readStore(): StoreFile {
    const store = this.store();
    this.checkModes();
    return store;
  }

  readCache(): CacheFile {
    return this.cache();
  }

  updateStore(mutate: (store: StoreFile) => void): Promise<StoreFile> {
    return updateStore(this.configDir, mutate, { signal: this.io.signal });
  }

  updateCache(mutate: (cache: CacheFile) => void): Promise<CacheFile> {
    return updateCache(this.configDir, mutate, { signal: this.io.signal });
  }

  /** The store and the credential cache hold secrets: said once per run when group or others may read one. */
  private checkModes(): void {
    if (this.modesChecked || this.io.platform === 'win32') return;
    this.modesChecked = true;
    const mode = storeMode(this.configDir);
    if (mode !== undefined && (mode & 0o077) !== 0) {
      const file = storePath(this.configDir);
      this.renderer.warn(
        `the profile store ${file} can be read by other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${file}\``,
      );
    }
    const cache = cachePath(this.configDir);
    const cacheMode = exposedMode(cache);
    if (cacheMode !== undefined) {
      this.renderer.warn(
        `the credential cache ${cache} can be read by other users (mode ${cacheMode.toString(8)}); run \`chmod 600 ${cache}\``,
      );
    }
  }

  stdinText(purpose: string): Promise<string> {
    if (this.stdinClaim !== undefined && this.stdinClaim !== purpose) {
      throw new UsageError(`standard input can feed only one of ${this.stdinClaim} and ${purpose}`, {
        hint: 'give the other one from a file or the environment (e.g. HSS_TOKEN instead of --token-stdin)',
      });
    }
    this.stdinClaim = purpose;
    if (!this.stdinPromise) this.renderer.debug(`reading ${purpose} from standard input`);
    this.stdinPromise ??= readAll(this.io.stdin, purpose, this.io.signal);
    return this.stdinPromise;
  }

  async credentialSources(): Promise<CredentialSources> {
    const { io, renderer } = this;
    const sources: CredentialSources = {
      env: io.env,
      settings: this.settings(),
      configDir: this.configDir,
      readCache: () => this.readCache(),
      updateCache: (mutate) => this.updateCache(mutate),
      homeDir: io.homeDir,
      signal: io.signal,
      now: () => io.now(),
      warn: (line) => renderer.warn(line),
    };
    if (this.flags.tokenStdin) {
      sources.stdinToken = (await this.stdinText('--token-stdin')).replace(/\r?\n$/, '');
    }
    return sources;
  }

  credential(): Promise<Credential> {
    this.credentialPromise ??= (async () => requireCredential(await this.credentialSources()))();
    return this.credentialPromise;
  }

  /** A command of one project refuses several regions and --all-projects: it would read only one. */
  private oneProject(): Settings {
    const settings = this.settings();
    if (settings.regions) {
      const { value, source } = settings.regions;
      const named = value === 'all' ? 'all' : value.join(',');
      throw oneProjectOnly(`region ${quote(named)} (from ${describeSource(source)}) names several regions`);
    }
    if (this.flags.allProjects) throw oneProjectOnly('--all-projects reads every project of a region');
    return settings;
  }

  projectId(options: { offline?: boolean } = {}): Promise<Resolved<string>> {
    this.projectIdPromise ??= (async () => {
      const settings = this.oneProject();
      if (settings.projectId) return settings.projectId;
      const cred = await this.credential();
      const { resolveProjectId } = await import('../auth/project.js');
      return resolveProjectId({
        settings,
        credential: cred,
        http: this.http(authHintFor(cred)),
        updateStore: (mutate) => this.updateStore(mutate),
        debug: (line) => this.renderer.debug(line),
        warn: (line) => this.renderer.warn(line),
        offline: options.offline === true,
      });
    })();
    return this.projectIdPromise;
  }

  http(authHint?: string): HttpClient {
    const network = this.network();
    const debug = (line: string) => this.renderer.debug(line);
    // One transport per run, so proxy and CA set-up happen once whatever the number of clients.
    this.transport ??= createTransport({ ...network, debug });
    const options: ConstructorParameters<typeof HttpClient>[0] = {
      timeoutMs: timeoutMs(network),
      maxAttempts: maxAttempts(network),
      userAgent: userAgent(),
      signal: this.io.signal,
      debug,
      transport: this.transport,
    };
    if (authHint) options.authHint = authHint;
    return new HttpClient(options);
  }

  async hss(options: { offline?: boolean } = {}): Promise<HssApi> {
    const endpoint = requireEndpoint(this.oneProject());
    const cred = await this.credential();
    const project = (await this.projectId(options)).value;
    const authorize: Authorize = authorizerFor(cred, project);
    const enterpriseProject = this.settings().enterpriseProject?.value;
    const target = { endpoint, projectId: project };
    return new HssApi(
      this.http(authHintFor(cred)),
      enterpriseProject === undefined ? target : { ...target, enterpriseProject },
      authorize,
    );
  }

  projectApi(project: { region: string; projectId: string }, credential: Credential): HssApi {
    const settings = this.settings();
    // An endpoint that was set (the sandbox, a proxy) serves every region; else each region its own.
    const endpoint =
      settings.endpoint && !settings.endpoint.source.startsWith('derived:')
        ? settings.endpoint.value
        : hssEndpointFor(project.region);
    const enterpriseProject = settings.enterpriseProject?.value;
    const target = { endpoint, projectId: project.projectId };
    return new HssApi(
      this.http(authHintFor(credential)),
      enterpriseProject === undefined ? target : { ...target, enterpriseProject },
      authorizerFor(credential, project.projectId),
    );
  }
}
