import { useCallback, useEffect, useState } from 'react';
import { api, type Query } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * GET `path` (null = nothing to load) whenever it or the query changes; an older answer that
 * arrives late is dropped (the request is aborted).
 */
export function useApi<T>(path: string | null, query?: Query): Loaded<T> {
  const key = path === null ? null : JSON.stringify([path, query ?? {}]);
  const [state, setState] = useState<{ key: string | null; data: T | undefined; error: unknown }>({ key: null, data: undefined, error: undefined });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (key === null || path === null) return;
    const ctrl = new AbortController();
    api
      .get<T>(path, query, ctrl.signal)
      .then((data) => setState({ key, data, error: undefined }))
      .catch((error: unknown) => {
        if (!ctrl.signal.aborted) setState({ key, data: undefined, error });
      });
    return () => ctrl.abort();
    // `key` stands for path and query.
  }, [key, attempt]);

  const reload = useCallback(() => {
    setState({ key: null, data: undefined, error: undefined });
    setAttempt((a) => a + 1);
  }, []);
  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: key !== null && (!current || (state.data === undefined && state.error === undefined)),
    reload,
  };
}
