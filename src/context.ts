/**
 * What a command handler is given: the world (io), the global flags, the renderer, and lazy accessors
 * for settings, credentials and the API, so a command pays only for what it uses.
 */

import { HssApi } from './api/hss.js';
import { type Authorize, HttpClient } from './api/http.js';
import { caBundleSetting, createFetch, type Fetch } from './api/transport.js';
import { authHintFor, authorizerFor, type Credential, requireCredential } from './auth/credentials.js';
import { parseDuration, parseInteger } from './duration.js';
import { UsageError } from './errors.js';
import { configDir, type Io, readAll } from './io.js';
import type { Renderer } from './output/renderer.js';
import type { StoreFile } from './schema.js';
import { type GlobalFlags, requireTarget, resolveSettings, type Settings } from './settings/resolve.js';
import { interruptStoreWritesOn, readStore, storeMode, storePath } from './settings/store.js';
import { VERSION } from './version.js';

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
  credential(): Promise<Credential>;
  http(authHint?: string): HttpClient;
  hss(): Promise<HssApi>;
}

export function userAgent(): string {
  return `hss-cli/${VERSION} node/${process.versions.node} ${process.platform}`;
}

export function createContext(io: Io, flags: GlobalFlags, renderer: Renderer): Context {
  let settings: Settings | undefined;
  let stdinClaim: string | undefined;
  let stdinPromise: Promise<string> | undefined;
  let credential: Promise<Credential> | undefined;
  let transport: Fetch | undefined;
  let storeChecked = false;
  const dir = configDir(io);
  interruptStoreWritesOn(io.signal);
  try {
    // Registers the stored secrets before anything can print a value the user typed (a stored token
    // pasted as an argument is masked in the usage error too). A bad store is reported when used.
    readStore(dir);
  } catch {}

  // The store holds secrets: say so once per run when group or others may read it.
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
  };

  const ctx: Context = {
    io,
    flags,
    renderer,
    configDir: dir,
    settings() {
      settings ??= resolveSettings(flags, io.env, dir);
      checkStoreMode();
      return settings;
    },
    readStore() {
      const store = readStore(dir);
      checkStoreMode();
      return store;
    },
    stdinText(purpose) {
      if (stdinClaim !== undefined && stdinClaim !== purpose) {
        throw new UsageError(`standard input can feed only one of ${stdinClaim} and ${purpose}`);
      }
      if (io.stdin.isTTY && purpose === '--token-stdin') {
        throw new UsageError(
          '--token-stdin reads the token from standard input, which is a terminal; pipe it in',
        );
      }
      stdinClaim = purpose;
      if (!stdinPromise) renderer.debug(`reading ${purpose} from standard input`);
      stdinPromise ??= readAll(io.stdin, purpose, io.signal);
      return stdinPromise;
    },
    credential() {
      credential ??= (async () => {
        const sources: Parameters<typeof requireCredential>[0] = { env: io.env, settings: ctx.settings() };
        if (flags.tokenStdin)
          sources.stdinToken = (await ctx.stdinText('--token-stdin')).replace(/\r?\n$/, '');
        return requireCredential(sources);
      })();
      return credential;
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
    async hss() {
      const target = requireTarget(ctx.settings());
      const cred = await ctx.credential();
      const authorize: Authorize = authorizerFor(cred);
      const enterpriseProject = ctx.settings().enterpriseProject?.value;
      return new HssApi(
        ctx.http(authHintFor(cred)),
        enterpriseProject === undefined ? target : { ...target, enterpriseProject },
        authorize,
      );
    },
  };
  return ctx;
}
