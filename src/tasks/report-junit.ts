/**
 * --junit: the tasks followed as JUnit XML in the form CI systems read (GitLab, Jenkins, GitHub
 * actions that publish test results): `testsuites/testsuite/testcase` with `failure`, `error` and
 * `skipped`. One testsuite per task, named `region/task_id`; one testcase per cluster and scan type.
 */
import type { ClusterResult } from '../api/schemas.js';
import { clusterCounts } from '../output/task-view.js';
import type { ReportContext, ReportTask } from './report.js';

interface Case {
  name: string;
  classname: string;
  /** What the case's child element says, if anything went wrong (or was not run). */
  child?: { element: 'failure' | 'error' | 'skipped'; message: string; type?: string };
}

/**
 * Text as XML character data or an attribute value: the five special characters escaped, and every
 * character XML 1.0 does not allow (C0 controls but tab and newlines, lone surrogates, U+FFFE/FFFF)
 * replaced, so whatever a server sent the file parses.
 */
export function xmlText(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlText(String(v))}"`)
    .join('');
}

function clusterCases(suite: string, clusters: ClusterResult[]): Case[] {
  return clusters.flatMap((cluster) => {
    const label = cluster.cluster_name
      ? `${cluster.cluster_id} (${cluster.cluster_name})`
      : cluster.cluster_id;
    return cluster.scan_detail_list.map((detail): Case => {
      const item: Case = { name: `${label} ${detail.scan_type}`, classname: suite };
      if (detail.status === 'failed') {
        item.child = { element: 'failure', message: detail.failed_reason ?? 'failed', type: 'failed' };
      } else if (detail.status !== 'success') {
        item.child = { element: 'skipped', message: `still ${detail.status ?? 'in an unknown state'}` };
      }
      return item;
    });
  });
}

function taskCases(task: ReportTask, suite: string): Case[] {
  const { outcome, error } = task;
  if (outcome?.kind === 'finished') {
    // Every cluster when they were read (a --junit run reads them); else at least the failed ones.
    const cases = clusterCases(suite, outcome.clusters ?? outcome.failedClusters);
    const unnamed = clusterCounts(outcome.task).failed - outcome.failedClusters.length;
    if (unnamed > 0) {
      cases.push({
        name: 'clusters not read',
        classname: suite,
        child: {
          element: 'failure',
          message: `${unnamed} failed clusters could not be read`,
          type: 'failed',
        },
      });
    }
    return cases;
  }
  const message = error?.message ?? 'the wait gave up before the task finished';
  return [
    {
      name: outcome ? 'wait' : 'retry',
      classname: suite,
      child: { element: 'error', message, type: error?.code ?? 'WAIT_TIMEOUT' },
    },
  ];
}

function caseXml(c: Case): string {
  const open = `    <testcase${attrs({ name: c.name, classname: c.classname, time: 0 })}`;
  if (!c.child) return `${open}/>`;
  const { element, message, type } = c.child;
  const body = element === 'skipped' ? '' : xmlText(message);
  const child =
    element === 'skipped'
      ? `<skipped${attrs({ message })}/>`
      : `<${element}${attrs(type ? { message, type } : { message })}>${body}</${element}>`;
  return `${open}>\n      ${child}\n    </testcase>`;
}

export function junitReport(tasks: ReportTask[], context: ReportContext): string {
  const timestamp = new Date(context.now).toISOString().replace(/\.\d+Z$/, '');
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites = tasks.map((task) => {
    const name = `${task.region}/${task.taskId}`;
    const cases = taskCases(task, name);
    const count = (e: string) => cases.filter((c) => c.child?.element === e).length;
    const counts = {
      tests: cases.length,
      failures: count('failure'),
      errors: count('error'),
      skipped: count('skipped'),
    };
    tests += counts.tests;
    failures += counts.failures;
    errors += counts.errors;
    skipped += counts.skipped;
    const time = task.outcome ? (task.outcome.elapsedMs / 1000).toFixed(3) : '0';
    const head = `  <testsuite${attrs({ name, ...counts, time, timestamp })}>`;
    return cases.length
      ? [head, ...cases.map(caseXml), '  </testsuite>'].join('\n')
      : `${head.slice(0, -1)}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: context.title, tests, failures, errors, skipped })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
