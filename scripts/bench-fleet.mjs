// The fan-out figure of `npm run bench` (scripts/bench.mjs): `hss task list --region all` over the
// sandbox's three regions, every answer 400 ms late, against one project's listing on the same
// sandbox. Projects are read in parallel, so the fan-out costs one IAM round trip (the project list)
// and one ListTasks round trip, whatever the number of projects; read one after the other it would
// cost one more per project.
//
// Two single-project figures: `--region cn-north-4` as a profile with only a region runs it (the
// project ID looked up in IAM first, as the fan-out must), and with the project ID known (one round
// trip). The target (≤ 1.5 ×) is checked against the first: both resolve their projects from IAM.
import { spawn, spawnSync } from 'node:child_process';
import { sandboxBanner } from './sandbox-banner.mjs';

export const FLEET_LATENCY_MS = 400;
export const FLEET_TARGET = 1.5;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median wall time of `runs` runs of hss with `args`, in ms; every run must exit 0. */
function time(node, bin, args, env, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(node, [bin, ...args], { env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`hss ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    times.push(ms);
  }
  return median(times);
}

export async function fleetBench({ node, bin, env, runs }) {
  const sandbox = spawn(
    node,
    [bin, 'sandbox', '--port', '0', '--json', '--latency', String(FLEET_LATENCY_MS)],
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const info = await sandboxBanner(sandbox);
    const keys = {
      ...env,
      HSS_ENDPOINT: info.url,
      HSS_IAM_ENDPOINT: info.url,
      HUAWEICLOUD_SDK_AK: info.access_key,
      HUAWEICLOUD_SDK_SK: info.secret_key,
    };
    const regions = new Set(info.projects.filter((p) => p.name === p.region).map((p) => p.region));
    process.stderr.write(
      `fan-out: task list over ${regions.size} regions, ${FLEET_LATENCY_MS} ms a request…`,
    );
    const list = ['task', 'list', '--limit', '10'];
    const fleet = {
      latency_ms: FLEET_LATENCY_MS,
      projects: regions.size,
      all_ms: time(node, bin, [...list, '--region', 'all'], keys, runs),
      one_region_ms: time(node, bin, [...list, '--region', info.region], keys, runs),
      one_project_ms: time(
        node,
        bin,
        [...list, '--region', info.region, '--project-id', info.project_id],
        keys,
        runs,
      ),
    };
    fleet.ratio = fleet.all_ms / fleet.one_region_ms;
    fleet.ratio_known_project = fleet.all_ms / fleet.one_project_ms;
    process.stderr.write('\r\x1b[K');
    process.stdout.write(
      `\nfan-out: \`hss task list --region all\` over ${fleet.projects} projects, every answer ${FLEET_LATENCY_MS} ms late\n` +
        `  ${fleet.all_ms.toFixed(0)} ms; one project: ${fleet.one_region_ms.toFixed(0)} ms with its ID looked up in IAM ` +
        `(${fleet.ratio.toFixed(2)} ×), ${fleet.one_project_ms.toFixed(0)} ms with its ID known (${fleet.ratio_known_project.toFixed(2)} ×); ` +
        `one after the other would take about ${((FLEET_LATENCY_MS * (1 + fleet.projects)) / 1000).toFixed(1)} s\n`,
    );
    return fleet;
  } finally {
    if (sandbox.exitCode === null) sandbox.kill('SIGTERM');
  }
}
