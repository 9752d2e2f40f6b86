/**
 * From what the user typed (`--all-failed`, `--cluster id[:types]`, a cluster file) to a RetryTask body
 * that satisfies every documented limit, or a one-line UsageError naming the value and the rule.
 */

import { type ClusterInfo, ClusterInfoList, RetryBody } from '../api/schemas.js';
import { UsageError } from '../core/errors.js';
import { ClusterId, firstIssue, ScanTypeList } from '../core/rules.js';
import { quote } from '../core/text.js';

/** A zod schema or a rule of src/core/rules.ts: the first issue of a refusal becomes the UsageError. */
interface Checker<I, T> {
  safeParse(
    value: I,
  ): { success: true; data: T } | { success: false; error: { issues: readonly { message: string }[] } };
}

function check<I, T>(schema: Checker<I, T>, value: I, label: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${label}: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/** `id` or `id:type,type` — the first `:` separates, as cluster IDs never hold one. */
export function parseClusterSpec(spec: string, origin = '--cluster'): ClusterInfo {
  const label = `${origin} ${quote(spec)}`;
  const colon = spec.indexOf(':');
  const id = (colon === -1 ? spec : spec.slice(0, colon)).trim();
  check(ClusterId, id, label);
  if (colon === -1) return { cluster_id: id };
  const typesText = spec.slice(colon + 1);
  if (typesText.trim() === '') {
    throw new UsageError(`${label}: no scan types after ":"; give cluster_vul, risk_assessment or benchmark`);
  }
  const types = typesText.split(',').map((t) => t.trim());
  const scanTypes = check(ScanTypeList, types, label);
  return { cluster_id: id, scan_type_list: scanTypes };
}

/** One spec a line; `#` starts a comment; blank lines are skipped. */
export function parseClusterFile(text: string, name: string): ClusterInfo[] {
  const clusters: ClusterInfo[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const hash = raw.indexOf('#');
    const line = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    if (line === '') continue;
    clusters.push(parseClusterSpec(line, `${name} line ${index + 1}`));
  }
  if (clusters.length === 0) {
    throw new UsageError(`${name}: no cluster specs found (one id[:types] a line)`, {
      hint: 'one cluster a line, e.g. "cce-prod-01" or "cce-prod-02:cluster_vul,benchmark"; or use --all-failed',
    });
  }
  return clusters;
}

export type RetryScope =
  | { kind: 'all-failed' }
  | { kind: 'clusters'; clusters: ClusterInfo[]; origin: string };

export function buildRetryBody(scope: RetryScope): RetryBody {
  if (scope.kind === 'all-failed') {
    return { task_type: 'cluster_scan', cluster_scan_info: { range_type: 'all_failed_cluster' } };
  }
  const list = check(ClusterInfoList, scope.clusters, scope.origin);
  return check(
    RetryBody,
    {
      task_type: 'cluster_scan',
      cluster_scan_info: { range_type: 'specific_cluster', cluster_info_list: list },
    },
    scope.origin,
  );
}
