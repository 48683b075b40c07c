import { useCallback, useEffect, useRef, useState } from 'react';
import { apiGet, errorMessage, isAbort } from './api.ts';

export interface Resource<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Fetches `path` and refetches it after each response, `refreshMs` later. `refreshMs` may depend
 * on the last data. When refreshing is on, a failed request is retried after 10 s, so the page
 * recovers by itself after a server restart. A null path fetches nothing.
 */
export function useResource<T>(
  path: string | null,
  refreshMs?: number | ((data: T) => number),
): Resource<T> {
  const [state, setState] = useState<{ path: string | null; data?: T; error: string | null }>({
    path: null,
    error: null,
  });
  const [generation, setGeneration] = useState(0);
  const refreshRef = useRef(refreshMs);
  useEffect(() => {
    refreshRef.current = refreshMs;
  });

  useEffect(() => {
    if (path === null) return;
    const requestPath = path;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;

    const schedule = (data: T | undefined) => {
      const refresh = refreshRef.current;
      let delay: number | undefined;
      if (data === undefined) delay = refresh === undefined ? undefined : 10_000;
      else delay = typeof refresh === 'function' ? refresh(data) : refresh;
      if (delay !== undefined && delay > 0) timer = setTimeout(load, delay);
    };

    async function load() {
      try {
        const data = await apiGet<T>(requestPath, controller.signal);
        if (controller.signal.aborted) return;
        setState({ path, data, error: null });
        schedule(data);
      } catch (error) {
        if (controller.signal.aborted || isAbort(error)) return;
        // Keeps the last good data on screen so one failed poll does not blank the page.
        setState((previous) => ({
          path,
          data: previous.path === path ? previous.data : undefined,
          error: errorMessage(error),
        }));
        schedule(undefined);
      }
    }

    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const current = state.path === path;
  const data = current ? state.data : undefined;
  const error = current ? state.error : null;
  return { data, error, loading: path !== null && data === undefined && error === null, reload };
}

/** Returns `value` once it has stopped changing for `delayMs`. */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/** Re-renders every `intervalMs` so relative times such as "2 min. ago" stay current. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
