/**
 * `hss sandbox`: runs the local HSS + IAM emulator until interrupted.
 */
import type { ChalkInstance } from 'chalk';
import type { Context } from '../../cli/context.js';
import { parseDuration, parseInteger } from '../../core/duration.js';
import { UsageError } from '../../core/errors.js';
import { isLoopback } from '../../core/net.js';
import { firstIssue, ProfileName } from '../../core/rules.js';
import { quote } from '../../core/text.js';
import type { CommandResult } from '../../output/renderer.js';
import {
  hostingProjects,
  SANDBOX_ACCESS_KEY,
  SANDBOX_DOMAIN,
  SANDBOX_PASSWORD,
  SANDBOX_PROJECT_ID,
  SANDBOX_REGION,
  SANDBOX_SECRET_KEY,
  SANDBOX_TOKEN,
  SANDBOX_USER,
} from '../../sandbox/constants.js';
import { parseFaultSpec } from '../../sandbox/faults.js';
import { type SandboxOptions as SandboxServerOptions, startSandbox } from '../../sandbox/server.js';
import type { Handler, Options } from '../define.js';
import type { spec } from './command.js';
import { checkReplaceable, saveSandboxProfile } from './profile.js';

export type SandboxOptions = Options<typeof spec>;

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);

/** A word as a POSIX shell reads it back unchanged. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9._-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The emulator's options from the command's, each checked; refusals before anything listens. */
function sandboxOptions(
  opts: SandboxOptions,
  ctx: Context,
): SandboxServerOptions & { port: number; faults: string[] } {
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
  if (opts.force && opts.saveProfile === undefined) {
    throw new UsageError(
      '--force goes with --save-profile: it lets that overwrite a profile of another kind',
    );
  }
  if (opts.saveProfile !== undefined) {
    const parsed = ProfileName.safeParse(opts.saveProfile);
    if (!parsed.success)
      throw new UsageError(`--save-profile ${quote(opts.saveProfile)}: ${firstIssue(parsed.error)}`);
  }
  // A sandbox on every address is reached from this machine through loopback (server.url); on one
  // other address it speaks plain http where hss refuses to send credentials.
  const reachableHere = isLoopback(opts.host) || WILDCARD_HOSTS.has(opts.host);
  if (opts.saveProfile !== undefined && !reachableHere) {
    throw new UsageError(
      `--save-profile with --host ${quote(opts.host)}: hss sends credentials over plain http only to loopback, so it would refuse that profile`,
      { hint: 'listen on 127.0.0.1 (the default), or on 0.0.0.0, whose profile uses http://127.0.0.1' },
    );
  }
  // Refused before listening; checked again under the store's lock when it is written.
  if (opts.saveProfile !== undefined) checkReplaceable(ctx.readStore(), opts.saveProfile, opts.force);
  if (!isLoopback(opts.host)) {
    ctx.renderer.warn(
      `listening on ${opts.host}: the sandbox accepts its well-known credentials from anyone who can reach it`,
    );
  }

  return {
    host: opts.host,
    port,
    latencyMs,
    faults,
    progressMs,
    ...(tokenTtlMs === undefined ? {} : { tokenTtlMs }),
  };
}

/** What `hss sandbox --json` prints once it listens (its credentials are public fixtures). */
export interface SandboxDocument {
  ok: true;
  url: string;
  region: string;
  project_id: string;
  token: string;
  user: string;
  domain: string;
  password: string;
  access_key: string;
  secret_key: string;
  faults: string[];
  profile: string | null;
  /** Every project the sandbox hosts tasks for (the first is `region`/`project_id`'s). */
  projects: Array<{ region: string; name: string; project_id: string }>;
}

/** The projects as the banner lists them: main projects by region, a sub-project under its region. */
function sandboxProjects(): SandboxDocument['projects'] {
  return hostingProjects().map((p) => ({ region: p.region ?? p.name, name: p.name, project_id: p.id }));
}

/** The banner on a terminal: where it listens, its credentials, and a command to try. */
function bannerText(banner: SandboxDocument, opts: SandboxOptions, port: number, s: ChalkInstance): string {
  const lines = [
    WILDCARD_HOSTS.has(opts.host)
      ? `${s.green('●')} hss sandbox listening on every address, port ${port}: ${s.bold(banner.url)} from this machine`
      : `${s.green('●')} hss sandbox listening on ${s.bold(banner.url)}`,
    `  region ${SANDBOX_REGION}   project ID ${SANDBOX_PROJECT_ID}`,
    `  projects     ${banner.projects.map((p) => `${p.name} ${p.project_id}`).join('\n               ')}`,
    `  token        ${SANDBOX_TOKEN}`,
    `  IAM login    user ${SANDBOX_USER}, account ${SANDBOX_DOMAIN}, password ${SANDBOX_PASSWORD}`,
    `  AK/SK        ${SANDBOX_ACCESS_KEY} / ${SANDBOX_SECRET_KEY}`,
  ];
  if (banner.faults.length) lines.push(`  faults       ${banner.faults.join(' ')}`);
  if (isLoopback(opts.host) || WILDCARD_HOSTS.has(opts.host)) {
    lines.push(
      opts.saveProfile !== undefined
        ? `  try: hss -p ${shellWord(opts.saveProfile)} task retry task-0001 --all-failed`
        : `  try: HSS_TOKEN=${SANDBOX_TOKEN} hss --endpoint ${banner.url} --project-id ${SANDBOX_PROJECT_ID} task retry task-0001 --all-failed`,
    );
  }
  lines.push(
    `  reset: curl -X POST ${banner.url}/__sandbox/reset   ${s.dim('(the seed data back, without a restart)')}`,
  );
  lines.push(s.dim('  Ctrl-C stops it'));
  return lines.join('\n');
}

export async function sandbox(opts: SandboxOptions, ctx: Context): Promise<CommandResult> {
  const options = sandboxOptions(opts, ctx);
  const { port, faults } = options;
  let server: Awaited<ReturnType<typeof startSandbox>>;
  try {
    server = await startSandbox(options);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(`cannot listen on ${opts.host}:${port}: ${code ?? (error as Error).message}`, {
      hint: code === 'EADDRINUSE' ? 'pick another --port, or --port 0 for a free one' : undefined,
    });
  }

  if (opts.saveProfile !== undefined) {
    // A sandbox that cannot save its profile must not keep listening.
    await saveSandboxProfile(ctx, opts.saveProfile, server.url, opts.force).catch(async (error: unknown) => {
      await server.close();
      throw error;
    });
  }

  const banner: SandboxDocument = {
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
    projects: sandboxProjects(),
  };
  // The sandbox's credentials are public fixtures, printed on purpose; they are not registered as secrets.
  if (ctx.renderer.json) ctx.io.stdout.write(`${JSON.stringify(banner)}\n`);
  else if (ctx.renderer.options.format === 'yaml') {
    const { yamlText } = await import('../../output/yaml.js');
    // The document end marker tells a reader the banner is whole while the server runs on.
    ctx.io.stdout.write(`${yamlText(banner)}...\n`);
  } else if (!ctx.renderer.options.quiet)
    ctx.renderer.print(bannerText(banner, opts, server.port, ctx.renderer.out));

  await new Promise<void>((resolve) => {
    if (ctx.io.signal.aborted) resolve();
    else ctx.io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  ctx.renderer.info('sandbox stopped');
  return { data: banner, exitCode: 0, rendered: true };
}

const handler: Handler<typeof spec> = ({ opts }, ctx) => sandbox(opts, ctx);
export default handler;
