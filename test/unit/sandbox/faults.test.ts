import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../src/sandbox/server.js';
import { call, hssPath, retryBody, withSandbox } from './helpers.js';

const LIST_BODY = { task_type: 'cluster_scan' };
const LIST = hssPath('/common/tasks/batch-query');
const RETRY = hssPath('/common/tasks/task-0001/retry');
const ALL_FAILED = retryBody({ range_type: 'all_failed_cluster' });

describe('parseFaultSpec', () => {
  it('reads every accepted form', () => {
    expect(parseFaultSpec('503x2')).toEqual({ spec: '503x2', kind: 'status', status: 503, times: 2 });
    expect(parseFaultSpec('429x3@retry')).toEqual({
      spec: '429x3@retry',
      scope: 'retry',
      kind: 'status',
      status: 429,
      times: 3,
    });
    expect(parseFaultSpec('400x1')).toMatchObject({ status: 400, times: 1 });
    expect(parseFaultSpec('599x1')).toMatchObject({ status: 599 });
    expect(parseFaultSpec('reset')).toMatchObject({ kind: 'reset', times: 1 });
    expect(parseFaultSpec('resetx3')).toMatchObject({ kind: 'reset', times: 3 });
    expect(parseFaultSpec('hang')).toMatchObject({ kind: 'hang' });
    expect(parseFaultSpec('hang@iam')).toMatchObject({ kind: 'hang', scope: 'iam' });
    expect(parseFaultSpec('badjson')).toMatchObject({ kind: 'badjson', times: 1 });
    expect(parseFaultSpec('badjson@list')).toMatchObject({ kind: 'badjson', scope: 'list' });
    expect(parseFaultSpec('slow:2000')).toMatchObject({ kind: 'slow', ms: 2000 });
    expect(parseFaultSpec('slow:0@resources')).toMatchObject({ kind: 'slow', ms: 0, scope: 'resources' });
  });

  it('refuses anything else with one line naming the spec and the accepted forms', () => {
    for (const spec of [
      '',
      '503',
      '503x',
      '503x0',
      '399x1',
      '600x1',
      '5034x1',
      'reset@nowhere',
      'resetx0',
      'hangx2',
      'slow',
      'slow:',
      'slow:-1',
      'slow:1.5',
      'slow:600001',
      'badjsonx',
      'timeout',
      '503x2@',
      '503x2@retry@list',
    ]) {
      let message = '';
      try {
        parseFaultSpec(spec);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, spec).toContain(`"${spec}"`);
      expect(message).toContain('accepted forms: <status>x<n>');
      expect(message).toContain('slow:<ms>');
      expect(message).not.toContain('\n');
    }
  });

  it('makes startSandbox refuse a bad spec', async () => {
    await expect(withSandbox({ faults: ['nope'] }, async () => undefined)).rejects.toThrow(
      /invalid fault spec "nope"/,
    );
  });
});

describe('faults on the wire', () => {
  it('503x2: two gateway 503s, then normal; recorded and without effect', () =>
    withSandbox({ faults: ['503x2'] }, async (sandbox) => {
      const first = await call(sandbox, 'PUT', RETRY, { body: ALL_FAILED });
      expect(first.status).toBe(503);
      expect(first.json).toEqual({ error_code: 'APIGW.0202', error_msg: 'Backend unavailable' });
      expect(first.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(first.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
      expect((await call(sandbox, 'POST', LIST, { body: LIST_BODY })).status).toBe(503);
      const list = await call(sandbox, 'POST', LIST, { body: { ...LIST_BODY, task_id: 'task-0001' } });
      expect((list.json as { data_list: Array<{ task_status: string }> }).data_list[0]?.task_status).toBe(
        'finished',
      );
      expect(sandbox.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    }));

  it('429 sends Retry-After: 1; 500 and 504 have their own gateway codes', () =>
    withSandbox({ faults: ['429x1', '500x1', '504x1'] }, async (sandbox) => {
      const throttled = await call(sandbox, 'POST', LIST, { body: LIST_BODY });
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('1');
      expect(throttled.json).toMatchObject({ error_code: 'APIGW.0308' });
      const failed = await call(sandbox, 'POST', LIST, { body: LIST_BODY });
      expect(failed.status).toBe(500);
      expect(failed.json).toMatchObject({ error_code: 'APIGW.0601' });
      expect(failed.headers.get('retry-after')).toBeNull();
      expect((await call(sandbox, 'POST', LIST, { body: LIST_BODY })).json).toMatchObject({
        error_code: 'APIGW.0203',
      });
      expect((await call(sandbox, 'POST', LIST, { body: LIST_BODY })).status).toBe(200);
    }));

  it('a fault comes before authentication', () =>
    withSandbox({ faults: ['503x1'] }, async (sandbox) => {
      expect((await call(sandbox, 'POST', LIST, { body: LIST_BODY, token: null })).status).toBe(503);
      expect((await call(sandbox, 'POST', LIST, { body: LIST_BODY, token: null })).status).toBe(401);
    }));

  it('scoped faults hit only their operation', () =>
    withSandbox({ faults: ['503x2@retry', '500x1@iam'] }, async (sandbox) => {
      expect((await call(sandbox, 'POST', LIST, { body: LIST_BODY })).status).toBe(200);
      expect(
        (await call(sandbox, 'GET', hssPath('/common/task-statistics?task_type=cluster_scan'))).status,
      ).toBe(200);
      expect(
        (await call(sandbox, 'POST', hssPath('/common/tasks/task-0001/resources/batch-query'))).status,
      ).toBe(200);
      expect((await call(sandbox, 'PUT', RETRY, { body: ALL_FAILED })).status).toBe(503);
      expect((await call(sandbox, 'PUT', RETRY, { body: ALL_FAILED })).status).toBe(503);
      expect((await call(sandbox, 'PUT', RETRY, { body: ALL_FAILED })).status).toBe(200);
      expect((await call(sandbox, 'GET', '/v3/projects?name=cn-north-4')).status).toBe(500);
      expect((await call(sandbox, 'GET', '/v3/projects?name=cn-north-4')).status).toBe(200);
    }));

  it('reset destroys the connection without an answer, once or n times', () =>
    withSandbox({ faults: ['resetx2'] }, async (sandbox) => {
      await expect(call(sandbox, 'PUT', RETRY, { body: ALL_FAILED })).rejects.toThrow();
      await expect(call(sandbox, 'PUT', RETRY, { body: ALL_FAILED })).rejects.toThrow();
      expect((await call(sandbox, 'PUT', RETRY, { body: ALL_FAILED })).status).toBe(200);
      expect(sandbox.requests.map((r) => [r.status, r.requestId])).toEqual([
        [0, ''],
        [0, ''],
        [200, expect.stringMatching(/^[0-9a-f]{32}$/)],
      ]);
    }));

  it('badjson answers 200 with a truncated JSON body, once', () =>
    withSandbox({ faults: ['badjson'] }, async (sandbox) => {
      const bad = await call(sandbox, 'POST', LIST, { body: LIST_BODY });
      expect(bad.status).toBe(200);
      expect(bad.headers.get('content-type')).toMatch(/^application\/json/);
      expect(bad.text.length).toBeGreaterThan(0);
      expect(() => JSON.parse(bad.text)).toThrow();
      const good = await call(sandbox, 'POST', LIST, { body: LIST_BODY });
      expect(() => JSON.parse(good.text)).not.toThrow();
    }));

  it('hang never answers, every request, and close() still ends promptly', async () => {
    let closeMs = 0;
    await withSandbox({ faults: ['hang'] }, async (sandbox) => {
      for (let i = 0; i < 2; i += 1) {
        const started = Date.now();
        await expect(
          fetch(`${sandbox.url}${LIST}`, {
            method: 'POST',
            headers: { 'X-Auth-Token': 'hss-sandbox-token', 'Content-Type': 'application/json' },
            body: JSON.stringify(LIST_BODY),
            signal: AbortSignal.timeout(150),
          }),
        ).rejects.toThrow();
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      }
      // one more left hanging when the sandbox closes
      const pending = fetch(`${sandbox.url}${LIST}`, { method: 'POST', body: '{}' }).catch(() => 'closed');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sandbox.requests.map((r) => r.status)).toEqual([0, 0, 0]);
      const started = Date.now();
      await sandbox.close();
      closeMs = Date.now() - started;
      expect(await pending).toBe('closed');
    });
    expect(closeMs).toBeLessThan(1000);
  });

  it('slow:<ms> and latencyMs delay every answer', () =>
    withSandbox({ faults: ['slow:150'], latencyMs: 100 }, async (sandbox) => {
      for (const request of [
        () => call(sandbox, 'POST', LIST, { body: LIST_BODY }),
        () => call(sandbox, 'GET', '/nope'),
      ]) {
        const started = Date.now();
        await request();
        expect(Date.now() - started).toBeGreaterThanOrEqual(240);
      }
    }));

  it('slow scoped to one operation leaves the others fast', () =>
    withSandbox({ faults: ['slow:300@retry'] }, async (sandbox) => {
      let started = Date.now();
      await call(sandbox, 'POST', LIST, { body: LIST_BODY });
      expect(Date.now() - started).toBeLessThan(250);
      started = Date.now();
      await call(sandbox, 'PUT', RETRY, { body: ALL_FAILED });
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    }));

  it('reset() re-arms the faults', () =>
    withSandbox({ faults: ['503x1'] }, async (sandbox) => {
      expect((await call(sandbox, 'POST', LIST, { body: LIST_BODY })).status).toBe(503);
      expect((await call(sandbox, 'POST', LIST, { body: LIST_BODY })).status).toBe(200);
      sandbox.reset();
      expect((await call(sandbox, 'POST', LIST, { body: LIST_BODY })).status).toBe(503);
    }));
});
