/**
 * Following several tasks at once (src/tasks/follow-many.ts): what one poll costs, whatever the number
 * of tasks, and which other reads it makes.
 */
import { describe, expect, it, vi } from 'vitest';
import type { HssApi, ListTasksFilter } from '../../src/api/hss.js';
import type { ClusterResult, RetryBody, TaskSummary } from '../../src/api/schemas.js';
import { followMany } from '../../src/tasks/follow-many.js';
import { nextBody } from '../../src/tasks/retry-follow.js';

const io = { signal: new AbortController().signal, now: () => Date.now() };
const FAST = { intervalMs: 5, timeoutMs: 5_000 };

function summary(id: string, start: number, status: string, failed = 0): TaskSummary {
  return {
    task_id: id,
    task_status: status,
    start_time: start,
    end_time: status === 'finished' ? start + 1 : 0,
    cluster_scan_info: { scanning_cluster_num: 0, success_cluster_num: 2, failed_cluster_num: failed },
  };
}

/**
 * A project of `count` tasks (t0000 newest), each running for `runningPolls` polls and then finished,
 * every third with a failed cluster; ListTasks answers newest first, paged, filtered by start time.
 */
function project(count: number, runningPolls: number, options: { hidden?: Set<string> } = {}) {
  const starts = new Map<string, number>();
  for (let i = 0; i < count; i++) starts.set(`t${String(i).padStart(4, '0')}`, 1_000_000 - i * 1000);
  let polls = 0;
  const state = (id: string): TaskSummary => {
    const start = starts.get(id) ?? 0;
    const index = Number(id.slice(1));
    return polls > runningPolls
      ? summary(id, start, 'finished', index % 3 === 0 ? 1 : 0)
      : summary(id, start, 'running');
  };
  const calls = {
    list: [] as Array<{ offset: number; limit: number; filter: ListTasksFilter }>,
    byId: [] as string[],
  };
  const api = {
    listTasks: vi.fn(async (filter: ListTasksFilter, offset: number, limit: number) => {
      if (offset === 0) polls += 1;
      calls.list.push({ offset, limit, filter });
      const all = [...starts.keys()]
        .filter((id) => !options.hidden?.has(id))
        .filter(
          (id) => filter.start_create_time === undefined || (starts.get(id) ?? 0) >= filter.start_create_time,
        )
        .map(state);
      const page = all.slice(offset, offset + limit);
      return { total: all.length, tasks: page, received: page.length, response: { text: '' } };
    }),
    getTask: vi.fn(async (id: string) => {
      calls.byId.push(id);
      return state(id);
    }),
    allTaskResources: vi.fn(async (id: string) => [{ cluster_id: `${id}-c1`, scan_detail_list: [] }]),
    note: vi.fn(),
    withSignal: () => api,
  };
  return { api: api as unknown as HssApi & typeof api, calls, pollCount: () => polls };
}

describe('followMany', () => {
  it('250 tasks: each poll reads at most ⌈250/200⌉ + 1 ListTasks pages, never a task by ID', async () => {
    const p = project(300, 2);
    const ids = [...Array(250).keys()].map((i) => `t${String(i + 20).padStart(4, '0')}`);
    const outcomes = await followMany(
      p.api,
      ids.map((taskId) => ({ taskId })),
      FAST,
      io,
    );
    expect([...outcomes.values()].every((o) => o.kind === 'finished')).toBe(true);
    const perPoll = new Map<number, number>();
    let poll = 0;
    for (const call of p.calls.list) {
      if (call.offset === 0) poll += 1;
      perPoll.set(poll, (perPoll.get(poll) ?? 0) + 1);
      expect(call.limit).toBe(200);
    }
    expect(Math.max(...perPoll.values())).toBeLessThanOrEqual(Math.ceil(250 / 200) + 1);
    expect(p.calls.byId).toEqual([]);
    // After the first poll, the pages start at the oldest task followed.
    expect(p.calls.list.at(-1)?.filter.start_create_time).toBe(1_000_000 - 269 * 1000);
  });

  it('ListTaskResources only for the tasks that finished with failed clusters', async () => {
    const p = project(10, 1);
    const ids = ['t0000', 't0001', 't0002', 't0003'];
    const outcomes = await followMany(
      p.api,
      ids.map((taskId) => ({ taskId })),
      FAST,
      io,
    );
    expect(p.api.allTaskResources.mock.calls.map((c) => c[0])).toEqual(['t0000', 't0003']);
    expect(outcomes.get('t0003')).toMatchObject({
      kind: 'finished',
      failedClusters: [{ cluster_id: 't0003-c1' }],
    });
    expect(outcomes.get('t0001')).toMatchObject({ kind: 'finished', failedClusters: [] });
  });

  it('a task the covering pages do not show is looked up by its ID; the others are not', async () => {
    const p = project(10, 1, { hidden: new Set(['t0002']) });
    await followMany(
      p.api,
      ['t0001', 't0002'].map((taskId) => ({ taskId })),
      FAST,
      io,
    );
    expect(new Set(p.calls.byId)).toEqual(new Set(['t0002']));
    expect(p.calls.byId.length).toBe(p.pollCount());
  });

  it('a baseline: the task finished as before the retry is not the end of the retry', async () => {
    const p = project(5, 0);
    const before = summary('t0001', 1_000_000 - 1000, 'finished');
    const started = Date.now();
    const outcomes = await followMany(
      p.api,
      [{ taskId: 't0001', baseline: before }, { taskId: 't0002' }],
      { intervalMs: 20, timeoutMs: 5_000 },
      io,
    );
    // Three polls that show the same finished run before it is believed (as for one task).
    expect(outcomes.get('t0001')?.kind).toBe('finished');
    expect(p.pollCount()).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('the deadline: tasks not finished give up where they stood', async () => {
    const p = project(5, 1_000);
    const outcomes = await followMany(
      p.api,
      ['t0001', 't0002'].map((taskId) => ({ taskId })),
      { intervalMs: 10, timeoutMs: 60 },
      io,
    );
    expect(outcomes.get('t0001')).toMatchObject({ kind: 'timed_out', task: { task_status: 'running' } });
    expect(outcomes.get('t0002')?.kind).toBe('timed_out');
  });
});

describe('the next round of --rounds', () => {
  const failed = [
    {
      cluster_id: 'c-1',
      scan_detail_list: [
        { scan_type: 'benchmark', status: 'failed' },
        { scan_type: 'cluster_vul', status: 'success' },
      ],
    },
  ] as ClusterResult[];

  it('--all-failed: the same body, every failed cluster again', () => {
    const body: RetryBody = {
      task_type: 'cluster_scan',
      cluster_scan_info: { range_type: 'all_failed_cluster' },
    };
    expect(nextBody(body, failed)).toBe(body);
  });

  it('named clusters: only those still failing, only the named types that failed; nothing when none', () => {
    const body: RetryBody = {
      task_type: 'cluster_scan',
      cluster_scan_info: {
        range_type: 'specific_cluster',
        cluster_info_list: [
          { cluster_id: 'c-1', scan_type_list: ['cluster_vul', 'benchmark'] },
          { cluster_id: 'c-2' },
        ],
      },
    };
    expect(nextBody(body, failed)).toEqual({
      task_type: 'cluster_scan',
      cluster_scan_info: {
        range_type: 'specific_cluster',
        cluster_info_list: [{ cluster_id: 'c-1', scan_type_list: ['benchmark'] }],
      },
    });
    const onlyVul: RetryBody = {
      task_type: 'cluster_scan',
      cluster_scan_info: {
        range_type: 'specific_cluster',
        cluster_info_list: [{ cluster_id: 'c-1', scan_type_list: ['cluster_vul'] }],
      },
    };
    expect(nextBody(onlyVul, failed)).toBeUndefined();
  });
});
