/**
 * The CI reports as text: whatever a server sent (control characters, markup, quotes), the JUnit file
 * parses as XML 1.0 and says it back, and the Markdown summary renders it as text.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { ClusterResult, TaskSummary } from '../../src/api/schemas.js';
import type { ReportTask } from '../../src/tasks/report.js';
import { junitReport, xmlText } from '../../src/tasks/report-junit.js';
import { markdownText, summaryReport } from '../../src/tasks/report-summary.js';

const HOSTILE = 'a<b>&"\'\u0000\u0007\u001b[31m\u0085x\uFFFE\ud800 end\ttab\nline';

function failedTask(reason: string, name = 'prod'): ReportTask {
  const task: TaskSummary = {
    task_id: 'task-1',
    task_status: 'finished',
    cluster_scan_info: { scanning_cluster_num: 0, success_cluster_num: 1, failed_cluster_num: 1 },
  } as TaskSummary;
  const clusters = [
    {
      cluster_id: 'c-1',
      cluster_name: name,
      scan_status: 'failed',
      scan_detail_list: [
        { scan_type: 'benchmark', status: 'failed', failed_reason: reason },
        { scan_type: 'cluster_vul', status: 'success' },
      ],
    },
    {
      cluster_id: 'c-2',
      scan_status: 'success',
      scan_detail_list: [{ scan_type: 'benchmark', status: 'scanning' }],
    },
  ] as ClusterResult[];
  return {
    taskId: 'task-1',
    region: 'cn-north-4',
    outcome: { kind: 'finished', task, failedClusters: clusters.slice(0, 1), clusters, elapsedMs: 1500 },
  };
}

/**
 * The elements and attributes of the JUnit schema CI systems read (Jenkins' junit-10.xsd, which GitLab
 * and the GitHub test-report actions accept): each element with the attributes it may have, the ones
 * it must have, and the children it may hold.
 */
const JUNIT: Record<string, { attrs: string[]; required: string[]; children: string[] }> = {
  testsuites: {
    attrs: ['name', 'time', 'tests', 'failures', 'errors', 'disabled', 'skipped'],
    required: [],
    children: ['testsuite'],
  },
  testsuite: {
    attrs: [
      'name',
      'tests',
      'failures',
      'errors',
      'time',
      'disabled',
      'skipped',
      'timestamp',
      'hostname',
      'id',
      'package',
    ],
    required: ['name', 'tests'],
    children: ['testcase', 'properties', 'system-out', 'system-err'],
  },
  testcase: {
    attrs: ['name', 'assertions', 'time', 'classname', 'status'],
    required: ['name'],
    children: ['skipped', 'error', 'failure', 'system-out', 'system-err'],
  },
  failure: { attrs: ['message', 'type'], required: [], children: [] },
  error: { attrs: ['message', 'type'], required: [], children: [] },
  skipped: { attrs: ['message'], required: [], children: [] },
};

/** Checks a parsed element against JUNIT; returns what breaks the schema. */
function schemaIssues(name: string, node: unknown, where = name): string[] {
  const rule = JUNIT[name];
  if (!rule) return [`${where}: element <${name}> is not in the schema`];
  if (typeof node !== 'object' || node === null)
    return rule.required.length ? [`${where}: no attributes`] : [];
  const issues: string[] = [];
  const entries = Object.entries(node as Record<string, unknown>);
  for (const required of rule.required) {
    if (!entries.some(([k]) => k === `@${required}`)) issues.push(`${where}: missing ${required}`);
  }
  for (const [key, value] of entries) {
    if (key === '#text') continue;
    if (key.startsWith('@')) {
      if (!rule.attrs.includes(key.slice(1))) issues.push(`${where}: attribute ${key.slice(1)} not allowed`);
      continue;
    }
    if (!rule.children.includes(key)) issues.push(`${where}: <${key}> not allowed in <${name}>`);
    for (const [i, child] of (Array.isArray(value) ? value : [value]).entries()) {
      issues.push(...schemaIssues(key, child, `${where}/${key}[${i}]`));
    }
  }
  return issues;
}

describe('--junit', () => {
  it('holds only what the common JUnit schema allows', () => {
    const tasks: ReportTask[] = [
      failedTask('benchmark check timed out'),
      { taskId: 'task-2', region: 'cn-north-4', outcome: { kind: 'timed_out', elapsedMs: 10 } },
      { taskId: 'task-3', region: 'cn-north-4' },
    ];
    const xml = junitReport(tasks, { title: 'hss task retry', now: 0 });
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml);
    expect(Object.keys(doc)).toEqual(['?xml', 'testsuites']);
    expect(schemaIssues('testsuites', doc.testsuites)).toEqual([]);
    expect(doc.testsuites.testsuite.map((s: Record<string, string>) => s['@name'])).toEqual([
      'cn-north-4/task-1',
      'cn-north-4/task-2',
      'cn-north-4/task-3',
    ]);
    expect(doc.testsuites.testsuite[1].testcase.error['@message']).toBe(
      'the wait gave up before the task finished',
    );
  });

  it('escapes everything a server may send, characters XML 1.0 forbids replaced', () => {
    const xml = junitReport([failedTask(HOSTILE, HOSTILE)], { title: 'hss task retry', now: 0 });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE]/);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true }).parse(
      xml,
    );
    const suite = doc.testsuites.testsuite;
    expect(suite).toMatchObject({ name: 'cn-north-4/task-1', tests: '3', failures: '1', skipped: '1' });
    const [failing] = suite.testcase;
    expect(failing.failure.message).toBe('a<b>&"\'\uFFFD\uFFFD\uFFFD[31m\u0085x\uFFFD\uFFFD end\ttab\nline');
    expect(suite.testcase[2].skipped.message).toBe('still scanning');
  });

  it('xmlText escapes the markup characters and keeps tabs and newlines as references', () => {
    expect(xmlText('<&>"\'\t\n')).toBe('&lt;&amp;&gt;&quot;&apos;&#9;&#10;');
  });
});

describe('--summary', () => {
  it('server text renders as text: no markup, no control characters, pipes escaped', () => {
    expect(markdownText('a|b <img src=x> `c` *d*\u001b[31m\nx')).toBe(
      'a\\|b &lt;img src=x&gt; \\`c\\` \\*d\\* \\[31m x',
    );
    const md = summaryReport([failedTask('x | y\n# z')], { title: 'hss task wait', now: 0 });
    expect(md).toContain('| cn-north-4/task-1 | c-1 (prod) | benchmark | x \\| y \\# z |');
    expect(md.split('\n').filter((l) => l.startsWith('|'))).toHaveLength(3);
  });
});
