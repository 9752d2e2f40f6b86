/**
 * Reading every page of a listing, bounded whatever the server claims: up to the API's largest offset,
 * stopping on an empty or repeated page, and within a number of items and bytes held.
 */
import { ApiError } from '../core/errors.js';

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
export function withIds<T extends Record<string, unknown>, K extends string>(
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
