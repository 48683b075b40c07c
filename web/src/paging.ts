import { useCallback, useEffect, useRef, useState } from 'react';
import { apiGet, errorMessage, isAbort } from './api.ts';

/** Rows per request. Longer lists are read in several requests of this size. */
export const PAGE_SIZE = 50;

interface CursorPage {
  nextCursor: string | null;
}

interface LoadedList<T> {
  /** Path and filter parameters the rows were read with, without `limit` or `cursor`. */
  query: string;
  items: T[];
  nextCursor: string | null;
}

/** Appends the rows whose keys are not in `keys` yet to `items`, and adds their keys. */
function appendNew<T>(items: T[], keys: Set<string>, rows: T[], keyOf: (item: T) => string): void {
  for (const row of rows) {
    const key = keyOf(row);
    // Cursors are keyset positions, so pages should not overlap. Skipping repeats keeps row keys
    // unique even if one does.
    if (keys.has(key)) continue;
    keys.add(key);
    items.push(row);
  }
}

export interface CursorList<T> {
  /** Rows read with the current filters, or null until their first page arrives. */
  items: T[] | null;
  nextCursor: string | null;
  error: string | null;
  loadingMore: boolean;
  loadMore: () => void;
  /** Re-reads every loaded row. The promise resolves once they are stored and never rejects. */
  refresh: () => Promise<void>;
}

/**
 * Reads a cursor-paged list from `path` with the query string `filters`, and re-reads every loaded
 * row every `refreshMs` and on `refresh()`. `itemsOf` picks the rows out of a page and `keyOf`
 * gives each row a unique key. Refreshes and "Load more" run one at a time, so a refresh cannot
 * drop a page appended while it ran.
 */
export function useCursorList<T, P extends CursorPage>(
  path: string,
  filters: string,
  itemsOf: (page: P) => T[],
  keyOf: (item: T) => string,
  refreshMs?: number,
): CursorList<T> {
  const query = `${path}?${filters}`;
  const [list, setList] = useState<LoadedList<T> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  // Callers usually pass inline functions, so the latest ones are kept here instead of in the
  // effect's dependencies.
  const accessors = useRef({ itemsOf, keyOf });
  useEffect(() => {
    accessors.current = { itemsOf, keyOf };
  });

  // The list as last stored. Queued tasks read it here because `list` in their closure can be
  // stale.
  const latest = useRef<LoadedList<T> | null>(null);
  const taskQueue = useRef<Promise<void>>(Promise.resolve());
  // Signal and re-read function of the current path and filters. The effect aborts the signal
  // when they change, which also cancels queued tasks of the old query.
  const active = useRef<{
    signal: AbortSignal;
    reread: (signal: AbortSignal) => Promise<void>;
  } | null>(null);

  const storeList = (next: LoadedList<T>) => {
    latest.current = next;
    setList(next);
  };

  /** Runs `task` after every task queued before it has settled. Tasks handle their own errors. */
  const enqueue = useCallback((task: () => Promise<void>): Promise<void> => {
    const run = taskQueue.current.then(task);
    taskQueue.current = run.catch(() => undefined);
    return run;
  }, []);

  /** Reads the first `count` rows, following cursors, and stores them as the current list. */
  const readLeading = useCallback(
    async (count: number, signal: AbortSignal): Promise<void> => {
      const items: T[] = [];
      const keys = new Set<string>();
      let cursor: string | null = null;
      do {
        const params = new URLSearchParams(filters);
        params.set('limit', String(Math.min(PAGE_SIZE, count - items.length)));
        if (cursor) params.set('cursor', cursor);
        const page: P = await apiGet<P>(`${path}?${params}`, signal);
        const { itemsOf, keyOf } = accessors.current;
        appendNew(items, keys, itemsOf(page), keyOf);
        cursor = page.nextCursor;
      } while (cursor && items.length < count);
      if (signal.aborted) return;
      storeList({ query, items, nextCursor: cursor });
    },
    [path, filters, query],
  );

  /** Re-reads as many rows as are loaded now, or one page when none are. */
  const reread = useCallback(
    async (signal: AbortSignal): Promise<void> => {
      if (signal.aborted) return;
      const previous = latest.current?.query === query ? latest.current : null;
      try {
        await readLeading(Math.max(PAGE_SIZE, previous?.items.length ?? 0), signal);
        if (!signal.aborted) setError(null);
      } catch (caught) {
        if (signal.aborted || isAbort(caught)) return;
        setError(errorMessage(caught));
      }
    },
    [query, readLeading],
  );

  useEffect(() => {
    const controller = new AbortController();
    active.current = { signal: controller.signal, reread };
    let timer: ReturnType<typeof setTimeout> | undefined;
    setError(null);

    const cycle = async () => {
      await reread(controller.signal);
      if (refreshMs !== undefined && !controller.signal.aborted) {
        timer = setTimeout(() => void enqueue(cycle), refreshMs);
      }
    };

    void enqueue(cycle);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [enqueue, reread, refreshMs]);

  // Reads `active` when called, so a caller holding a refresh from an older render still
  // re-reads the current query.
  const refresh = useCallback((): Promise<void> => {
    const current = active.current;
    if (!current) return Promise.resolve();
    return enqueue(() => current.reread(current.signal));
  }, [enqueue]);

  const loadMore = () => {
    const signal = active.current?.signal;
    setLoadingMore(true);
    void enqueue(async () => {
      // Reads the list when the task starts, because a refresh queued earlier may replace it.
      const previous = latest.current;
      if (!signal || signal.aborted) return;
      if (previous?.query !== query || !previous.nextCursor) return;
      try {
        const params = new URLSearchParams(filters);
        params.set('limit', String(PAGE_SIZE));
        params.set('cursor', previous.nextCursor);
        const page = await apiGet<P>(`${path}?${params}`, signal);
        const { itemsOf, keyOf } = accessors.current;
        const items = [...previous.items];
        appendNew(items, new Set(items.map(keyOf)), itemsOf(page), keyOf);
        storeList({ query, items, nextCursor: page.nextCursor });
        setError(null);
      } catch (caught) {
        if (signal.aborted || isAbort(caught)) return;
        setError(errorMessage(caught));
      }
    }).finally(() => setLoadingMore(false));
  };

  // While a changed filter loads, the previous rows stay on screen, so that a form open in one
  // of them keeps what the seller typed.
  const current = list?.query === query ? list : null;
  return {
    items: current?.items ?? list?.items ?? null,
    nextCursor: current?.nextCursor ?? null,
    error,
    loadingMore,
    loadMore,
    refresh,
  };
}
