/**
 * The typed HSS v5 task calls: URL, query and body exactly as the API reference has them.
 */
import type { z } from 'zod';
import { ApiError, UnavailableError } from '../core/errors.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../core/json.js';
import { quote } from '../core/text.js';
import { type ApiRequest, type ApiResponse, type Authorize, type HttpClient, serverText } from './http.js';
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

export const PAGE_SIZE_MAX = 200;
/** The API's smallest page: a smaller one is asked for as 10 and cut. */
export const PAGE_SIZE_MIN = 10;
/** The API's highest offset: no page reaches past it. */
export const MAX_OFFSET = 2_000_000;
/**
 * What one listing holds at most. A real project has far fewer tasks, or clusters in a task; a server
 * that claims more (or repeats itself with a fresh ID now and then) is stopped here, not followed
 * until memory runs out.
 */
export const MAX_ITEMS_HELD = 100_000;
/**
 * Answer text one listing reads at most (counted in characters), whatever its items: four answers of
 * the 16 MiB maximum.
 */
export const MAX_BYTES_READ = 64 * 1024 * 1024;

/** One page as the paging loop sees it. */
export interface Page<T> {
  /** The usable entries (those with an ID). */
  items: T[];
  /** Entries on the page, usable or not: the next page starts this much further on. */
  received: number;
  /** total_num, when the answer has one. */
  total?: number | undefined;
  /** Size of the answer body. */
  bytes: number;
}

export interface Listing<T> {
  items: T[];
  /** total_num of the last page, or the number of entries received when the API gave none. */
  total: number;
  /** Why paging ended before total_num was reached, when it did. */
  stopped?: string;
}

export interface PagingOptions<T> {
  /** The item's ID: an entry seen before is not kept twice. */
  id(item: T): string;
  /** At most this many items (default: every one). */
  wanted?: number;
  /** Names the items and the call in messages: `tasks`, `ListTasks`. */
  what: string;
  operation: string;
  hint: string;
  onPage?(held: number, total: number | undefined): void;
}

/**
 * Every page of a listing, newest first as the API sends them, each item once. Paging ends at
 * total_num (or, without one, at a short page), on an empty page, on a repeated page — one that
 * brings no item not seen on an earlier page — and before an offset past the API's maximum. Holding
 * more than MAX_ITEMS_HELD items, or reading more than MAX_BYTES_READ, is refused (exit 5) rather than
 * followed.
 */
export async function pageThrough<T>(
  read: (offset: number, limit: number) => Promise<Page<T>>,
  options: PagingOptions<T>,
): Promise<Listing<T>> {
  const wanted = options.wanted ?? Number.POSITIVE_INFINITY;
  const items: T[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  let total: number | undefined;
  let offset = 0;
  let stopped: string | undefined;
  while (items.length < wanted) {
    const size = Number.isFinite(wanted)
      ? Math.min(PAGE_SIZE_MAX, Math.max(PAGE_SIZE_MIN, wanted - items.length))
      : PAGE_SIZE_MAX;
    if (offset + size > MAX_OFFSET) {
      stopped = `the API pages no further than offset ${MAX_OFFSET}`;
      break;
    }
    const page = await read(offset, size);
    total = page.total;
    bytes += page.bytes;
    let fresh = 0;
    for (const item of page.items) {
      const key = options.id(item);
      // A task created while paging shifts the pages by one; it must not show twice.
      if (seen.has(key)) continue;
      seen.add(key);
      fresh += 1;
      if (items.length < wanted) items.push(item);
    }
    if (seen.size > MAX_ITEMS_HELD || bytes > MAX_BYTES_READ) {
      throw new ApiError(
        `${options.operation}: stopped after ${seen.size} ${options.what} (${Math.ceil(bytes / 1048576)} MiB of answers): more than hss holds in one listing`,
        { hint: options.hint },
      );
    }
    if (page.received === 0) break;
    offset += page.received;
    if (total !== undefined ? offset >= total : page.received < size) break;
    if (fresh === 0) {
      stopped = `the API repeated a page (offset ${offset - page.received}, nothing new on it)`;
      break;
    }
    options.onPage?.(items.length, total);
  }
  return stopped === undefined
    ? { items, total: total ?? offset }
    : { items, total: total ?? offset, stopped };
}

/** Entries without an ID cannot be shown, followed or retried: each is left out with a --debug note. */
function withIds<T extends Record<string, unknown>, K extends string>(
  entries: T[],
  key: K,
  what: string,
  operation: string,
  note: (line: string) => void,
): Array<T & Record<K, string>> {
  const kept = entries.filter((e): e is T & Record<K, string> => typeof e[key] === 'string');
  if (kept.length < entries.length) {
    note(
      `${operation}: ${entries.length - kept.length} of ${entries.length} ${what} without ${key} left out`,
    );
    // Entries there were, but none usable: an answer that says nothing usable is not an empty list.
    if (kept.length === 0) {
      throw new ApiError(
        `${operation}: unexpected answer from the API: none of the ${entries.length} ${what} has a ${key}`,
        { hint: 'check that the endpoint is the HSS API (`hss config show`)' },
      );
    }
  }
  return kept;
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
