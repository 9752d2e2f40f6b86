/**
 * `hss sandbox`: runs the local HSS + IAM emulator until interrupted.
 */
import type { Context } from '../context.js';
import { parseDuration, parseInteger } from '../duration.js';
import { UsageError } from '../errors.js';
import type { CommandResult } from '../output/renderer.js';
import {
  SANDBOX_ACCESS_KEY,
  SANDBOX_DOMAIN,
  SANDBOX_PASSWORD,
  SANDBOX_PROJECT_ID,
  SANDBOX_REGION,
  SANDBOX_SECRET_KEY,
  SANDBOX_TOKEN,
  SANDBOX_USER,
} from '../sandbox/constants.js';
import { parseFaultSpec } from '../sandbox/faults.js';
import { startSandbox } from '../sandbox/server.js';
import { firstIssue, ProfileName } from '../schema.js';
import { isLoopback } from '../settings/resolve.js';
import { findProfile, updateStore } from '../settings/store.js';
import { quote } from '../text.js';

export interface SandboxOptions {
  host: string;
  port: string;
  saveProfile?: string;
  fault?: string[];
  latency?: string;
  progress: string;
  tokenTtl?: string;
}

export async function sandbox(opts: SandboxOptions, ctx: Context): Promise<CommandResult> {
  const port = parseInteger(opts.port, '--port', 0, 65_535);
  const faults = (opts.fault ?? []).map((spec) => {
    try {
      parseFaultSpec(spec);
    } catch (error) {
      throw new UsageError(`--fault: ${(error as Error).message}`);
    }
    return spec;
  });
  const latencyMs = opts.latency === undefined ? 0 : parseInteger(opts.latency, '--latency', 0, 600_000);
  const progressMs = parseDuration(opts.progress, '--progress');
  const tokenTtlMs = opts.tokenTtl === undefined ? undefined : parseDuration(opts.tokenTtl, '--token-ttl');
  if (opts.saveProfile !== undefined) {
    const parsed = ProfileName.safeParse(opts.saveProfile);
    if (!parsed.success)
      throw new UsageError(`--save-profile ${quote(opts.saveProfile)}: ${firstIssue(parsed.error)}`);
  }
  if (!isLoopback(opts.host)) {
    ctx.renderer.warn(
      `listening on ${opts.host}: the sandbox accepts its well-known credentials from anyone who can reach it`,
    );
  }

  let server: Awaited<ReturnType<typeof startSandbox>>;
  try {
    server = await startSandbox({
      host: opts.host,
      port,
      latencyMs,
      faults,
      progressMs,
      ...(tokenTtlMs === undefined ? {} : { tokenTtlMs }),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`cannot listen on ${opts.host}:${port}: ${code ?? (error as Error).message}`, {
      hint: code === 'EADDRINUSE' ? 'pick another --port, or --port 0 for a free one' : undefined,
    });
  }

  if (opts.saveProfile !== undefined) {
    const name = opts.saveProfile;
    const write = updateStore(ctx.configDir, (store) => {
      store.profiles[name] = {
        ...(findProfile(store, name) ?? {}),
        region: SANDBOX_REGION,
        project_id: SANDBOX_PROJECT_ID,
        endpoint: server.url,
        iam_endpoint: server.url,
        auth: 'token',
        token: SANDBOX_TOKEN,
        user: SANDBOX_USER,
        domain: SANDBOX_DOMAIN,
      };
      store.current ??= name;
    });
    // A sandbox that cannot save its profile must not keep listening.
    await write.catch(async (error: unknown) => {
      await server.close();
      throw error;
    });
  }

  const banner = {
    ok: true,
    url: server.url,
    region: SANDBOX_REGION,
    project_id: SANDBOX_PROJECT_ID,
    token: SANDBOX_TOKEN,
    user: SANDBOX_USER,
    domain: SANDBOX_DOMAIN,
    password: SANDBOX_PASSWORD,
    access_key: SANDBOX_ACCESS_KEY,
    secret_key: SANDBOX_SECRET_KEY,
    faults,
    profile: opts.saveProfile ?? null,
  };
  // The sandbox's credentials are public fixtures, printed on purpose; they are not registered as secrets.
  if (ctx.renderer.json) {
    ctx.io.stdout.write(`${JSON.stringify(banner)}\n`);
  } else if (!ctx.renderer.options.quiet) {
    const s = ctx.renderer.out;
    const lines = [
      `${s.green('●')} hss sandbox listening on ${s.bold(server.url)}`,
      `  region ${SANDBOX_REGION}   project ID ${SANDBOX_PROJECT_ID}`,
      `  token        ${SANDBOX_TOKEN}`,
      `  IAM login    user ${SANDBOX_USER}, account ${SANDBOX_DOMAIN}, password ${SANDBOX_PASSWORD}`,
      `  AK/SK        ${SANDBOX_ACCESS_KEY} / ${SANDBOX_SECRET_KEY}`,
    ];
    if (faults.length) lines.push(`  faults       ${faults.join(' ')}`);
    lines.push(
      opts.saveProfile !== undefined
        ? `  try: hss -p ${opts.saveProfile} task retry task-0001 --all-failed`
        : `  try: HSS_TOKEN=${SANDBOX_TOKEN} hss --endpoint ${server.url} --project-id ${SANDBOX_PROJECT_ID} task retry task-0001 --all-failed`,
      s.dim('  Ctrl-C stops it'),
    );
    ctx.io.stdout.write(`${lines.join('\n')}\n`);
  }

  await new Promise<void>((resolve) => {
    if (ctx.io.signal.aborted) resolve();
    else ctx.io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  ctx.renderer.info('sandbox stopped');
  return { data: banner, exitCode: 0, rendered: true };
}
