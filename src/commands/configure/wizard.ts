/**
 * The questions of `hss configure`, asked on the terminal (src/auth/prompt.ts: secrets without
 * echo). A wrong answer is said and the question asked again; Ctrl-C or a closed input ends the run.
 */
import { ask } from '../../auth/prompt.js';
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../core/errors.js';
import { registerSecret } from '../../core/redact.js';
import { firstIssue, ProfileName, plainText, Region } from '../../core/rules.js';
import { quote } from '../../core/text.js';
import { KNOWN_REGIONS } from '../../settings/endpoints.js';
import type { Profile } from '../../settings/store-schema.js';

export type Answers =
  | { kind: 'aksk'; region: string; accessKey: string; secretKey: string }
  | { kind: 'password'; region: string; user: string; domain: string; password: string };

/** Asks until `check` accepts the answer (an empty answer is `fallback`, when there is one). */
async function question<T>(
  ctx: Context,
  text: string,
  check: (answer: string) => T,
  options: { fallback?: string | undefined; hidden?: boolean } = {},
): Promise<T> {
  const shown = options.fallback ? `${text} [${options.fallback}]: ` : `${text}: `;
  for (;;) {
    const raw = await ask(ctx.io, shown, { hidden: options.hidden === true });
    if (options.hidden) registerSecret(raw);
    const answer = options.hidden ? raw : raw.trim();
    try {
      return check(answer === '' && options.fallback !== undefined ? options.fallback : answer);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      ctx.renderer.info(`  ${error.message}`);
    }
  }
}

function ruled(rule: typeof Region, what: string): (answer: string) => string {
  return (answer) => {
    const parsed = rule.safeParse(answer);
    if (!parsed.success) throw new UsageError(`${what} ${quote(answer)}: ${firstIssue(parsed.error)}`);
    return answer;
  };
}

export function askProfileName(ctx: Context, fallback: string): Promise<string> {
  return question(ctx, 'Profile name', ruled(ProfileName, 'profile name'), { fallback });
}

async function askRegion(ctx: Context, fallback: string): Promise<string> {
  const known = [...KNOWN_REGIONS].join(' ');
  return question(
    ctx,
    'Region (? lists the known ones)',
    (answer) => {
      if (answer === '?') throw new UsageError(`known regions: ${known}`);
      const region = ruled(Region, 'region')(answer);
      if (!KNOWN_REGIONS.has(region))
        ctx.renderer.warn(`region ${quote(region)} is not one hss knows; using it anyway`);
      return region;
    },
    { fallback },
  );
}

export async function askAll(ctx: Context, existing: Profile | undefined): Promise<Answers> {
  // Not ctx.settings(): the profile being configured may not exist yet.
  const fallback = ctx.flags.region ?? ctx.io.env['HSS_REGION'] ?? existing?.region ?? 'cn-north-4';
  const region = await askRegion(ctx, fallback);
  const kind = await question(
    ctx,
    'Credential: 1) access key pair (AK/SK), 2) IAM user and password',
    (answer) => {
      if (answer === '1' || answer === 'aksk') return 'aksk' as const;
      if (answer === '2' || answer === 'password') return 'password' as const;
      throw new UsageError(`answer 1 or 2, not ${quote(answer)}`);
    },
    { fallback: existing?.auth === 'password' ? '2' : '1' },
  );
  if (kind === 'aksk') {
    const accessKey = await question(ctx, 'Access key ID', (a) => {
      if (!/^[^\s,;=]+$/.test(a))
        throw new UsageError(`access key ID ${quote(a)}: no spaces, commas, ; or =`);
      return plainText(a, 'access key ID', 128);
    });
    const secretKey = await question(
      ctx,
      'Secret access key (hidden)',
      (a) => plainText(a, 'the secret key', 256),
      {
        hidden: true,
      },
    );
    return { kind, region, accessKey, secretKey };
  }
  const user = await question(ctx, 'IAM user name', (a) => plainText(a, 'user name'), {
    fallback: existing?.user,
  });
  const domain = await question(ctx, 'Account (domain) name', (a) => plainText(a, 'account name'), {
    fallback: existing?.domain,
  });
  const password = await question(
    ctx,
    `Password for ${user} (hidden)`,
    (a) => plainText(a, 'the password', 1024),
    {
      hidden: true,
    },
  );
  return { kind, region, user, domain, password };
}
