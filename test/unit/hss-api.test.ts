import { describe, expect, it } from 'vitest';
import { encodeRfc3986, type HssTarget, hssUrl, retryTaskRequest } from '../../src/api/hss.js';
import { ProjectId, type RetryBody } from '../../src/api/schemas.js';
import { buildRetryBody, parseClusterSpec } from '../../src/tasks/cluster-specs.js';

const ENDPOINT = 'https://hss.cn-north-4.myhuaweicloud.com';
const PROJECT = '0123456789abcdef0123456789abcdef';
const target: HssTarget = { endpoint: ENDPOINT, projectId: PROJECT };

const SPECIFIC: RetryBody = buildRetryBody({
  kind: 'clusters',
  clusters: [parseClusterSpec('c-1:cluster_vul,benchmark'), parseClusterSpec('c-2')],
  origin: '--cluster',
});

describe('encodeRfc3986', () => {
  it.each([
    ['task-0001', 'task-0001'],
    ['A-Z_a.z~0-9', 'A-Z_a.z~0-9'],
    ['a b', 'a%20b'],
    ['a/b', 'a%2Fb'],
    ['a?b', 'a%3Fb'],
    ['a#b', 'a%23b'],
    ['100%', '100%25'],
    ['%2F', '%252F'],
    ['a+b=c&d', 'a%2Bb%3Dc%26d'],
    ["!'()*", '%21%27%28%29%2A'],
    ['é', '%C3%A9'],
    ['任务', '%E4%BB%BB%E5%8A%A1'],
    ['😀', '%F0%9F%98%80'],
    [':@;,$', '%3A%40%3B%2C%24'],
  ])('encodes %j as %s', (raw, encoded) => {
    expect(encodeRfc3986(raw)).toBe(encoded);
  });
});

describe('hssUrl', () => {
  it('builds /v5/{project}/… under the endpoint', () => {
    expect(hssUrl(target, ['common', 'tasks', 't1', 'retry']).href).toBe(
      `${ENDPOINT}/v5/${PROJECT}/common/tasks/t1/retry`,
    );
  });

  it('keeps a path prefix of the endpoint', () => {
    expect(hssUrl({ endpoint: 'http://127.0.0.1:8080/gw', projectId: 'p' }, ['x']).href).toBe(
      'http://127.0.0.1:8080/gw/v5/p/x',
    );
  });

  it.each([
    ['a b', 'a%20b'],
    ['a/b', 'a%2Fb'],
    ['a?b', 'a%3Fb'],
    ['a#b', 'a%23b'],
    ['a%b', 'a%25b'],
    ['é任', '%C3%A9%E4%BB%BB'],
    ["!'()*", '%21%27%28%29%2A'],
  ])('percent-encodes the segment %j as %s, keeping it one segment', (raw, encoded) => {
    const url = hssUrl(target, ['common', 'tasks', raw, 'retry']);
    expect(url.pathname).toBe(`/v5/${PROJECT}/common/tasks/${encoded}/retry`);
    expect(url.pathname.split('/')).toHaveLength(7);
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
    expect(decodeURIComponent(url.pathname.split('/')[5] as string)).toBe(raw);
  });

  it('percent-encodes the project ID', () => {
    const url = hssUrl({ endpoint: ENDPOINT, projectId: 'p/q r' }, ['common']);
    expect(url.pathname).toBe('/v5/p%2Fq%20r/common');
  });

  it('adds enterprise_project_id only when it is set', () => {
    expect(hssUrl(target, ['common']).href).not.toContain('?');
    expect(hssUrl(target, ['common']).searchParams.has('enterprise_project_id')).toBe(false);
    const url = hssUrl({ ...target, enterpriseProject: 'all_granted_eps' }, ['common']);
    expect(url.search).toBe('?enterprise_project_id=all_granted_eps');
    expect(hssUrl({ ...target, enterpriseProject: '0' }, ['common']).search).toBe('?enterprise_project_id=0');
  });

  it('encodes the enterprise project ID as one query value', () => {
    const ep = "a b&c=d#e/f?g+h!'()*é";
    const url = hssUrl({ ...target, enterpriseProject: ep }, ['common']);
    expect(url.search).toBe('?enterprise_project_id=a%20b%26c%3Dd%23e%2Ff%3Fg%2Bh%21%27%28%29%2A%C3%A9');
    expect(url.hash).toBe('');
    expect([...url.searchParams.keys()]).toEqual(['enterprise_project_id']);
    expect(url.searchParams.get('enterprise_project_id')).toBe(ep);
  });

  it('puts given query values first, skips undefined ones, and ends with enterprise_project_id', () => {
    const url = hssUrl({ ...target, enterpriseProject: 'ep1' }, ['common', 'tasks', 'batch-query'], {
      offset: 0,
      limit: 200,
      skipped: undefined,
      name: 'a b',
    });
    expect(url.search).toBe('?offset=0&limit=200&name=a%20b&enterprise_project_id=ep1');
  });
});

describe('retryTaskRequest', () => {
  it('is PUT …/common/tasks/{task_id}/retry with a JSON body', () => {
    const body = buildRetryBody({ kind: 'all-failed' });
    const request = retryTaskRequest(target, 'task-0001', body);
    expect(request.method).toBe('PUT');
    expect(request.url.href).toBe(`${ENDPOINT}/v5/${PROJECT}/common/tasks/task-0001/retry`);
    expect(request.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(request.body).toBe(JSON.stringify(body));
    expect(request.body).toBe(
      '{"task_type":"cluster_scan","cluster_scan_info":{"range_type":"all_failed_cluster"}}',
    );
    expect(request.operation).toContain('task-0001');
  });

  it('sends the specific_cluster body byte for byte, with the enterprise project in the query', () => {
    const request = retryTaskRequest(
      { ...target, enterpriseProject: 'all_granted_eps' },
      'task-0001',
      SPECIFIC,
    );
    expect(request.url.href).toBe(
      `${ENDPOINT}/v5/${PROJECT}/common/tasks/task-0001/retry?enterprise_project_id=all_granted_eps`,
    );
    expect(request.body).toBe(JSON.stringify(SPECIFIC));
    expect(request.body).toBe(
      '{"task_type":"cluster_scan","cluster_scan_info":{"range_type":"specific_cluster","cluster_info_list":[{"cluster_id":"c-1","scan_type_list":["cluster_vul","benchmark"]},{"cluster_id":"c-2"}]}}',
    );
  });

  it('percent-encodes an odd task ID into one path segment', () => {
    const request = retryTaskRequest(target, "t 1/2?x#y%z!'()*é", buildRetryBody({ kind: 'all-failed' }));
    expect(request.url.pathname).toBe(
      `/v5/${PROJECT}/common/tasks/t%201%2F2%3Fx%23y%25z%21%27%28%29%2A%C3%A9/retry`,
    );
    expect(request.url.search).toBe('');
  });
});

describe('dot segments', () => {
  // "." and ".." are unreserved in RFC 3986, and the URL parser removes them as dot segments (even when
  // written %2E%2E): a project ID ".." would send RetryTask to {endpoint}/common/tasks/… instead of
  // /v5/{project_id}/…. The project ID rule refuses them before any URL is built.
  it.each(['..', '.'])('refuses the project ID %j', (projectId) => {
    const parsed = ProjectId.safeParse(projectId);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('project ID must not be "." or ".."');
  });

  it('keeps a project ID with other dots inside /v5/{project_id}/', () => {
    const url = hssUrl({ endpoint: ENDPOINT, projectId: '...' }, ['common', 'tasks', 't1', 'retry']);
    expect(url.pathname).toBe('/v5/.../common/tasks/t1/retry');
  });
});
