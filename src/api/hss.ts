/**
 * The typed HSS v5 task calls: URL, query and body exactly as the API reference has them.
 */
import type { z } from 'zod';
import { ApiError, UnavailableError } from '../core/errors.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../core/json.js';
import { quote } from '../core/text.js';
import { serverText } from './error-body.js';
import type { ApiRequest, ApiResponse, Authorize, HttpClient } from './http.js';
import { type Listing, type PagingOptions, pageThrough, withIds } from './paging.js';
import type { ClusterResult, RetryBody, ScanDetail, TaskSummary } from './schemas.js';

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
  /** cluster_scan unless given (iac_scan: IaC scan tasks). */
  task_type?: string;
  task_id?: string;
  task_name?: string;
  trigger_type?: string;
  task_status?: string;
  start_create_time?: number;
  end_create_time?: number;
}

/**
 * A JSON answer checked against its schema before anything reads it. Whatever the server sent, the
 * outcome is the data or a one-line error; the content type is not trusted either way. A 2xx answer
 * that is not JSON at all (a web page from a proxy or a portal, an empty body) is an unexpected answer
 * (exit 6, as the service was not really reached); JSON of the wrong shape, or nested deeper than any
 * answer of the API, is an answer the API should not give (exit 5).
 */
export function parseJson<T>(schema: z.ZodType<T>, response: ApiResponse, operation: string): T {
  const details = {
    hint: 'check that the endpoint is the HSS API (`hss config show`), not a proxy or a web page',
    httpStatus: response.status,
    ...(response.requestId ? { requestId: response.requestId } : {}),
  };
  const type = response.headers['content-type'];
  const typeNote = type === undefined ? 'no content-type' : `content-type ${quote(type, 60)}`;
  if (nestedDeeperThan(response.text)) {
    throw new ApiError(
      `${operation}: unexpected answer from the API: JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      details,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(response.text);
  } catch {
    const what = response.text.trim() === '' ? 'an empty body' : 'a body that is not JSON';
    throw new UnavailableError(
      `${operation}: unexpected answer from the API: HTTP ${response.status} with ${what} (${typeNote})`,
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

  /** A --debug line. */
  note(line: string): void {
    this.http.note(line);
  }

  retryTask(taskId: string, body: RetryBody): Promise<ApiResponse> {
    return this.send(retryTaskRequest(this.target, taskId, body));
  }

  /** One page of ListTasks; `total` is total_num when the answer has it. */
  async listTasks(
    filter: ListTasksFilter,
    offset: number,
    limit: number,
  ): Promise<{ total: number | undefined; tasks: TaskSummary[]; received: number; response: ApiResponse }> {
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
    const { ListTasksResponse } = await import('./schemas.js');
    const body = parseJson(ListTasksResponse, response, 'ListTasks');
    const tasks = withIds(body.data_list, 'task_id', 'tasks', 'ListTasks', (l) => this.note(l));
    return { total: body.total_num, tasks, received: body.data_list.length, response };
  }

  /** Every page of ListTasks (see pageThrough for where paging stops). */
  allTasks(
    filter: ListTasksFilter,
    options: Pick<PagingOptions<TaskSummary>, 'wanted' | 'onPage'> = {},
  ): Promise<Listing<TaskSummary>> {
    return pageThrough(
      async (offset, limit) => {
        const page = await this.listTasks(filter, offset, limit);
        return {
          items: page.tasks,
          received: page.received,
          total: page.total,
          bytes: page.response.text.length,
        };
      },
      {
        ...options,
        id: (task) => task.task_id,
        what: 'tasks',
        operation: 'ListTasks',
        hint: 'narrow the listing with --since, --status, --name or --limit',
      },
    );
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
  ): Promise<{ total: number | undefined; clusters: ClusterResult[]; received: number; bytes: number }> {
    const info = Object.keys(filter).length ? { cluster_scan_info: filter } : {};
    const request: ApiRequest = {
      method: 'POST',
      url: hssUrl(this.target, ['common', 'tasks', taskId, 'resources', 'batch-query'], { offset, limit }),
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ task_type: 'cluster_scan', ...info }),
      operation: `ListTaskResources ${taskId}`,
    };
    const response = await this.send(request);
    const { ListTaskResourcesResponse } = await import('./schemas.js');
    const body = parseJson(ListTaskResourcesResponse, response, 'ListTaskResources');
    const note = (line: string) => this.note(line);
    const clusters = withIds(
      body.cluster_scan_data_list,
      'cluster_id',
      'clusters',
      'ListTaskResources',
      note,
    ).map((cluster): ClusterResult => {
      const details = cluster.scan_detail_list.filter(
        (d): d is ScanDetail => typeof d.scan_type === 'string',
      );
      if (details.length < cluster.scan_detail_list.length) {
        note(
          `ListTaskResources: ${cluster.scan_detail_list.length - details.length} scan items of cluster ${quote(cluster.cluster_id)} without scan_type left out`,
        );
        return { ...cluster, scan_detail_list: details };
      }
      return cluster as ClusterResult;
    });
    return {
      total: body.total_num,
      clusters,
      received: body.cluster_scan_data_list.length,
      bytes: response.text.length,
    };
  }

  /** Every page of a task's per-cluster results (see pageThrough for where paging stops). */
  async allTaskResources(taskId: string, filter: { scan_status?: string } = {}): Promise<ClusterResult[]> {
    const listing = await pageThrough(
      async (offset, limit) => {
        const page = await this.listTaskResources(taskId, filter, offset, limit);
        return { items: page.clusters, received: page.received, total: page.total, bytes: page.bytes };
      },
      {
        id: (cluster) => cluster.cluster_id,
        what: 'clusters',
        operation: `ListTaskResources ${taskId}`,
        hint: 'no task has that many clusters: check that the endpoint is the HSS API (`hss config show`)',
      },
    );
    if (listing.stopped)
      this.note(`ListTaskResources ${taskId}: ${listing.stopped}; ${listing.items.length} clusters read`);
    return listing.items;
  }
}

export { type Listing, type Page, pageThrough } from './paging.js';
