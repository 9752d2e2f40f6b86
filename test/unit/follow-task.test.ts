import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HssApi } from '../../src/api/hss.js';
import type { TaskSummary } from '../../src/api/schemas.js';
import { loadContext } from '../../src/cli/context.js';
import { taskRetry } from '../../src/commands/task/retry/index.js';
import { InterruptedError } from '../../src/core/errors.js';
import type { Io, OutStream } from '../../src/core/io.js';
import { Renderer } from '../../src/output/renderer.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN } from '../../src/sandbox/constants.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { outputOptions } from '../../src/settings/output.js';
import type { RetryRunDocument } from '../../src/tasks/documents.js';
import { followTask, type Poll } from '../../src/tasks/follow.js';

function task(status: string, start: number, end: number, failed = 0): TaskSummary {
  return {
    task_id: 't1',
    task_status: status,
    start_time: start,
    end_time: end,
    cluster_scan_info: { scanning_cluster_num: 0, success_cluster_num: 3, failed_cluster_num: failed },
  };
}

/** An HssApi stand-in that answers ListTasks polls from a script; the last answer repeats. */
function scripted(answers: Array<TaskSummary | 'hang'>) {
  let polls = 0;
  const api = {
    get polls() {
      return polls;
    },
    withSignal(signal: AbortSignal) {
      return {
        getTask: (): Promise<TaskSummary | undefined> => {
          const answer = answers[Math.min(polls, answers.length - 1)];
          polls += 1;
          if (answer !== 'hang') return Promise.resolve(answer);
          return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        },
        // As a real request does: the signal (Ctrl-C, the wait's deadline) aborts it.
        allTaskResources: (...args: Parameters<typeof api.allTaskResources>) =>
          Promise.race([
            api.allTaskResources(...args),
            new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
          ]),
      };
    },
    allTaskResources: vi.fn(
      async (_taskId: string, _filter: { scan_status?: string }): Promise<unknown[]> => [
        { cluster_id: 'c-1', scan_detail_list: [] },
      ],
    ),
    note: vi.fn(),
  };
  return api;
}

const io = (signal = new AbortController().signal) => ({ signal, now: () => Date.now() });
const FAST = { intervalMs: 5, timeoutMs: 5_000 };

describe('followTask', () => {
  it('after a retry, does not take the old finished state for the end of the retry', async () => {
    const before = task('finished', 100, 200, 2);
    const api = scripted([before, before, task('running', 300, 0), task('finished', 300, 400)]);
    const polls: Poll[] = [];
    const outcome = await followTask(api as unknown as HssApi, 't1', FAST, io(), {
      baseline: before,
      onPoll: (p) => polls.push(p),
    });
    expect(polls.map((p) => [p.task.task_status, p.pending])).toEqual([
      ['finished', true],
      ['finished', true],
      ['running', false],
      ['finished', false],
    ]);
    expect(outcome).toMatchObject({ kind: 'finished', task: { end_time: 400 }, failedClusters: [] });
    expect(api.allTaskResources).not.toHaveBeenCalled();
  });

  it('believes an unchanged finished state after three polls, so a silent service cannot hang it', async () => {
    const before = task('finished', 100, 200, 2);
    const api = scripted([before]);
    const outcome = await followTask(api as unknown as HssApi, 't1', FAST, io(), { baseline: before });
    expect(api.polls).toBe(3);
    expect(outcome).toMatchObject({ kind: 'finished', failedClusters: [{ cluster_id: 'c-1' }] });
    expect(api.allTaskResources).toHaveBeenCalledWith('t1', { scan_status: 'failed' });
  });

  it('a new end time alone is enough to see the retry has run', async () => {
    const before = task('finished', 100, 200, 2);
    const api = scripted([task('finished', 100, 900)]);
    const outcome = await followTask(api as unknown as HssApi, 't1', FAST, io(), { baseline: before });
    expect(api.polls).toBe(1);
    expect(outcome).toMatchObject({ kind: 'finished', task: { end_time: 900 } });
  });

  it('the deadline ends a poll that is still in flight', async () => {
    const api = scripted([task('running', 1, 0), 'hang']);
    const started = Date.now();
    const outcome = await followTask(api as unknown as HssApi, 't1', { intervalMs: 5, timeoutMs: 150 }, io());
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outcome).toMatchObject({ kind: 'timed_out', task: { task_status: 'running' } });
  });

  it.each([
    ['a status with an escape sequence', 'finished\u001b[31m', 'task_status "finished\\u001b[31m"'],
    ['a status hss does not know', 'queued', 'task_status "queued"'],
    ['no status at all', undefined, 'no task_status'],
  ])(
    '%s ends the wait with an API error (exit 5) after three polls in a row',
    async (_name, status, shown) => {
      const odd = { ...task('running', 1, 0), task_status: status };
      const api = scripted([task('running', 1, 0), odd, task('running', 1, 0), odd]);
      const polls: Poll[] = [];
      const error = await followTask(api as unknown as HssApi, 't1', FAST, io(), {
        onPoll: (p) => polls.push(p),
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      // One odd answer between known ones is forgiven; the count starts again at the next odd one.
      expect(api.polls).toBe(6);
      expect(polls).toHaveLength(6);
      expect(error).toMatchObject({ code: 'API', exitCode: 5 });
      expect((error as Error).message).toBe(
        `task t1: the API reports ${shown}, which is none of ready, running, finished; hss cannot tell whether the task has finished`,
      );
      expect((error as Error).message).not.toMatch(/[\u0000-\u001f]/);
    },
  );

  it('an unknown status at the wait deadline is the API error, not a time-out', async () => {
    const api = scripted([{ ...task('running', 1, 0), task_status: 'finished\u001b]0;x\u0007' }]);
    const started = Date.now();
    await expect(
      followTask(api as unknown as HssApi, 't1', { intervalMs: 10_000, timeoutMs: 150 }, io()),
    ).rejects.toMatchObject({ code: 'API', exitCode: 5 });
    expect(api.polls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('the deadline bounds reading the failed clusters of a finished task; the outcome still counts them', async () => {
    const api = scripted([task('finished', 1, 2, 4)]);
    api.allTaskResources.mockImplementation(() => new Promise(() => {}));
    const started = Date.now();
    const outcome = await followTask(api as unknown as HssApi, 't1', { intervalMs: 5, timeoutMs: 200 }, io());
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outcome).toMatchObject({ kind: 'finished', failedClusters: [], task: { task_id: 't1' } });
    expect(api.note).toHaveBeenCalledWith(
      'task t1: --wait-timeout reached while reading its failed clusters',
    );
  });

  it('Ctrl-C during the sleep between polls is an InterruptedError, not a timeout', async () => {
    const controller = new AbortController();
    const api = scripted([task('running', 1, 0)]);
    setTimeout(() => controller.abort(new InterruptedError('SIGINT')), 50);
    await expect(
      followTask(
        api as unknown as HssApi,
        't1',
        { intervalMs: 10_000, timeoutMs: 60_000 },
        io(controller.signal),
      ),
    ).rejects.toMatchObject({ code: 'INTERRUPTED', exitCode: 130 });
    expect(api.polls).toBe(1);
  });
});

describe('a batch resolves credentials and target once', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ progressMs: 300 });
    dir = mkdtempSync(path.join(tmpdir(), 'hss-unit-'));
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('calls ctx.hss() and ctx.credential() once for three tasks retried and followed', async () => {
    const sink = (): OutStream & { text: string } => {
      const s = {
        text: '',
        write(c: string) {
          s.text += c;
          return true;
        },
      };
      return s;
    };
    const env = {
      HSS_ENDPOINT: sandbox.url,
      HSS_PROJECT_ID: SANDBOX_PROJECT_ID,
      HSS_TOKEN: SANDBOX_TOKEN,
      HSS_CONFIG_DIR: dir,
    };
    const world: Io = {
      env,
      stdin: { async *[Symbol.asyncIterator]() {} },
      stdout: sink(),
      stderr: sink(),
      homeDir: dir,
      platform: process.platform,
      now: () => Date.now(),
      signal: new AbortController().signal,
    };
    const ctx = await loadContext(world, {}, new Renderer(world, outputOptions({ json: true }, env, world)));
    const hss = vi.spyOn(ctx, 'hss');
    const credential = vi.spyOn(ctx, 'credential');
    const result = await taskRetry(
      ['task-0001', 'task-0005', 'task-0006'],
      { allFailed: true, wait: true, interval: '50ms', concurrency: '3' },
      ctx,
    );
    expect(hss).toHaveBeenCalledTimes(1);
    expect(credential).toHaveBeenCalledTimes(1);
    expect(result.exitCode).toBe(7);
    expect((result.data as RetryRunDocument).results.map((r) => [r.task_id, r.ok])).toEqual([
      ['task-0001', true],
      ['task-0005', false],
      ['task-0006', false],
    ]);
    expect(sandbox.requests.filter((r) => r.method === 'PUT')).toHaveLength(3);
  });
});
