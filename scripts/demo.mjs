// `npm run demo`: starts the sandbox on a free port with a throw-away config dir, runs real hss
// commands against it, and shows what they print. Needs no cloud account.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxBanner } from './sandbox-banner.mjs';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'hss.js');
const configDir = mkdtempSync(path.join(tmpdir(), 'hss-demo-'));
const env = { ...process.env, HSS_CONFIG_DIR: configDir };
for (const name of [
  'HSS_PROFILE',
  'HSS_TOKEN',
  'HSS_ENDPOINT',
  'HSS_PROJECT_ID',
  'HSS_REGION',
  'HSS_OUTPUT',
]) {
  delete env[name];
}

const sandbox = spawn(
  process.execPath,
  [bin, 'sandbox', '--port', '0', '--save-profile', 'sandbox', '--progress', '2s', '--json'],
  { env, stdio: ['ignore', 'pipe', 'inherit'] },
);
const cleanup = () => {
  sandbox.kill('SIGTERM');
  rmSync(configDir, { recursive: true, force: true });
};
process.on('exit', cleanup);

const banner = await sandboxBanner(sandbox);

function step(title, args, input, extraEnv = {}) {
  const shown = Object.keys(extraEnv)
    .map((k) => `${k}=… `)
    .join('');
  process.stdout.write(`\n\x1b[1m$ ${shown}hss ${args.join(' ')}\x1b[0m${title ? `   # ${title}` : ''}\n`);
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...env, ...extraEnv },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'inherit', 'inherit'],
    input,
  });
  return r.status ?? 1;
}

process.stdout.write(`hss sandbox running at ${banner.url} (profile "sandbox" in ${configDir})\n`);
step('where settings come from', ['config', 'show']);
step('the newest tasks', ['task', 'list', '--limit', '6']);
step('which clusters failed, and why', ['task', 'show', 'task-0001', '--failed']);
step('what would be sent', ['task', 'retry', 'task-0001', '--cluster', 'cce-prod-02:benchmark', '--dry-run']);
const code = step('re-run every failed cluster scan of a task and follow it', [
  'task',
  'retry',
  'task-0001',
  '--all-failed',
  '--wait',
  '--interval',
  '500ms',
]);
step('a task that is still running is refused (exit 5)', ['task', 'retry', 'task-0002', '--all-failed']);
step('a cluster that keeps failing ends the wait with exit 7', [
  'task',
  'retry',
  'task-0005',
  '--all-failed',
  '--wait',
  '--interval',
  '500ms',
]);
step('one JSON document for scripts', ['task', 'retry', 'task-0006', '--all-failed', '--json']);
const junit = path.join(configDir, 'scans.xml');
const summary = path.join(configDir, 'summary.md');
step('the morning job in one command: select, retry, follow, retry again, report', [
  'task',
  'retry',
  '--since',
  '12h',
  '--all-failed',
  '--wait',
  '--rounds',
  '2',
  '--interval',
  '500ms',
  '--junit',
  junit,
  '--summary',
  summary,
]);
process.stdout.write(
  `\n\x1b[1m$ cat summary.md\x1b[0m   # the Markdown summary, e.g. for $GITHUB_STEP_SUMMARY\n`,
);
process.stdout.write(readFileSync(summary, 'utf8'));
step(
  'every region and project of the account at once (a key pair signs for each project)',
  ['task', 'list', '--region', 'all', '--all-projects', '--status', 'finished', '--since', '12h'],
  undefined,
  { HUAWEICLOUD_SDK_AK: banner.access_key, HUAWEICLOUD_SDK_SK: banner.secret_key },
);
step(
  'the morning job across every region: each project selects, retries and follows its own failed tasks',
  [
    'task',
    'retry',
    '--since',
    '12h',
    '--all-failed',
    '--region',
    'all',
    '--wait',
    '--rounds',
    '2',
    '--interval',
    '500ms',
  ],
  undefined,
  { HUAWEICLOUD_SDK_AK: banner.access_key, HUAWEICLOUD_SDK_SK: banner.secret_key },
);
process.stdout.write(`\ndemo finished: the retry of task-0001 exited with ${code}\n`);
sandbox.kill('SIGTERM');
await once(sandbox, 'exit');
process.exitCode = code;
