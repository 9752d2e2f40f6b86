/**
 * The typed HSS v5 task calls: URL, query and body exactly as the API reference has them.
 */
import type { z } from 'zod';
import { ApiError } from '../errors.js';
import type { ClusterResult, RetryBody, TaskSummary } from '../schema.js';
import { quote } from '../text.js';
import { type ApiRequest, type ApiResponse, type Authorize, type HttpClient, serverText } from './http.js';

export interface HssTarget {
  endpoint: string;
  projectId: string;
  enterpriseProject?: string;
}

/** RFC 3986 percent-encoding of one path segment or query component. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function hssUrl(
  target: HssTarget,
  segments: string[],
  query: Record<string, string | number | undefined> = {},
): URL {
  const path = segments.map(encodeRfc3986).join('/');
  const params: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined) params.push(`${encodeRfc3986(k)}=${encodeRfc3986(String(v))}`);
  }
  if (target.enterpriseProject !== undefined) {
    params.push(`enterprise_project_id=${encodeRfc3986(target.enterpriseProject)}`);
  }
  return new URL(
    `${target.endpoint}/v5/${encodeRfc3986(target.projectId)}/${path}${params.length ? `?${params.join('&')}` : ''}`,
  );
}

export function retryTaskRequest(target: HssTarget, taskId: string, body: RetryBody): ApiRequest {
  return {
    method: 'PUT',
    url: hssUrl(target, ['common', 'tasks', taskId, 'retry']),
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    operation: `RetryTask ${taskId}`,
  };
}

export interface ListTasksFilter {
  task_id?: string;
  task_name?: string;
  trigger_type?: string;
  task_status?: string;
  start_create_time?: number;
  end_create_time?: number;
}

/**
 * A JSON answer checked against its schema before anything reads it. Whatever the server sent, the
 * outcome is the data or a one-line ApiError (exit 5); the content type is not trusted either way.
 */
export function parseJson<T>(schema: z.ZodType<T>, response: ApiResponse, operation: string): T {
  const details = {
    hint: 'check that the endpoint is the HSS API (`hss config show`), not a proxy or a web page',
    httpStatus: response.status,
    ...(response.requestId ? { requestId: response.requestId } : {}),
  };
  const type = response.headers['content-type'];
  const typeNote = type === undefined ? 'no content-type' : `content-type ${quote(type, 60)}`;
  let raw: unknown;
  try {
    raw = JSON.parse(response.text);
  } catch {
    const what = response.text.trim() === '' ? 'an empty body' : 'a body that is not JSON';
    throw new ApiError(
      `${operation}: the API answered HTTP ${response.status} with ${what} (${typeNote})`,
      details,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? serverText(issue.path.join('.'), 80) : 'body';
    throw new ApiError(
      `${operation}: unexpected answer from the API (${where}: ${serverText(issue?.message ?? 'invalid', 120)})`,
      details,
    );
  }
  return parsed.data;
}

export const PAGE_SIZE_MAX = 200;

export class HssApi {
  constructor(
    private readonly http: HttpClient,
    readonly target: HssTarget,
    private readonly authorize: Authorize,
  ) {}

  /** The same calls aborted by `signal` (its reason is thrown when it is an HssError). */
  withSignal(signal: AbortSignal): HssApi {
    return new HssApi(this.http.withSignal(signal), this.target, this.authorize);
  }

  async send(request: ApiRequest): Promise<ApiResponse> {
    return this.http.send(request, this.authorize);
  }

  /** What `send` would put on the wire, for --dry-run. */
  headersFor(request: ApiRequest): Promise<Record<string, string>> {
    return this.http.headersFor(request, this.authorize);
  }

  retryTask(taskId: string, body: RetryBody): Promise<ApiResponse> {
    return this.send(retryTaskRequest(this.target, taskId, body));
  }

  async listTasks(
    filter: ListTasksFilter,
    offset: number,
    limit: number,
  ): Promise<{ total: number; tasks: TaskSummary[]; response: ApiResponse }> {
    const request: ApiRequest = {
      method: 'POST',
      url: hssUrl(this.target, ['common', 'tasks', 'batch-query'], { offset, limit }),
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        task_type: 'cluster_scan',
        ...filter,
        sort_key: 'start_time',
        sort_dir: 'desc',
      }),
      operation: 'ListTasks',
    };
    const response = await this.send(request);
    // zod and the response schemas are loaded with the first answer that needs them, not at start-up.
    const { ListTasksResponse } = await import('../schema.js');
    const body = parseJson(ListTasksResponse, response, 'ListTasks');
    return { total: body.total_num, tasks: body.data_list, response };
  }

  async getTask(taskId: string): Promise<TaskSummary | undefined> {
    const { tasks } = await this.listTasks({ task_id: taskId }, 0, 10);
    return tasks.find((t) => t.task_id === taskId);
  }

  async listTaskResources(
    taskId: string,
    filter: { scan_status?: string; cluster_id?: string; cluster_name?: string },
    offset: number,
    limit: number,
  ): Promise<{ total: number; clusters: ClusterResult[] }> {
    const info = Object.keys(filter).length ? { cluster_scan_info: filter } : {};
    const request: ApiRequest = {
      method: 'POST',
      url: hssUrl(this.target, ['common', 'tasks', taskId, 'resources', 'batch-query'], { offset, limit }),
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ task_type: 'cluster_scan', ...info }),
      operation: `ListTaskResources ${taskId}`,
    };
    const response = await this.send(request);
    const { ListTaskResourcesResponse } = await import('../schema.js');
    const body = parseJson(ListTaskResourcesResponse, response, 'ListTaskResources');
    return { total: body.total_num, clusters: body.cluster_scan_data_list };
  }

  /** Every page of a task's per-cluster results. */
  async allTaskResources(taskId: string, filter: { scan_status?: string } = {}): Promise<ClusterResult[]> {
    const all: ClusterResult[] = [];
    for (let offset = 0; ; offset += PAGE_SIZE_MAX) {
      const page = await this.listTaskResources(taskId, filter, offset, PAGE_SIZE_MAX);
      all.push(...page.clusters);
      if (page.clusters.length === 0 || all.length >= page.total) return all;
    }
  }
}
