/**
 * Live figures: the stream of changes (GET /api/monitoring/events, Server-Sent Events) and a
 * loader that can re-read a view without blanking it. An event says only which units changed;
 * the page re-reads what it shows through the ordinary, scope-checked routes. Events are not
 * replayed, so whenever the stream (re)opens the page re-reads everything.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Query } from '../api.js';
import type { MonitoringChange } from './types.js';

export type LiveState = 'connecting' | 'open' | 'retrying' | 'closed';

/**
 * Subscribes to the monitoring events while mounted (and `enabled`); `onChange` gets each change,
 * and `{all: true}` each time the stream opens (first or again after a break). Closed on unmount.
 */
export function useMonitoringEvents(onChange: (c: MonitoringChange) => void, enabled = true): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onChange);
  handler.current = onChange;

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') {
      setState('closed');
      return;
    }
    setState('connecting');
    const source = new EventSource('/api/monitoring/events');
    source.addEventListener('open', () => {
      setState('open');
      // Changes made before the stream was open (the page's first read may predate it) or while
      // it was down were not sent: re-read everything.
      handler.current({ all: true, at: new Date().toISOString() });
    });
    source.addEventListener('change', (e: MessageEvent<string>) => {
      let change: MonitoringChange;
      try {
        change = JSON.parse(e.data) as MonitoringChange;
      } catch {
        return;
      }
      handler.current(change);
    });
    source.addEventListener('error', () => {
      // CLOSED: the server refused the stream (signed out, too many open); the browser will not retry.
      setState(source.readyState === EventSource.CLOSED ? 'closed' : 'retrying');
    });
    return () => source.close();
  }, [enabled]);

  return state;
}

export interface Refreshable<T> {
  /** The last answer for the current path and query (kept while a refresh runs). */
  data: T | undefined;
  error: unknown;
  /** The first answer for this path and query has not arrived yet. */
  loading: boolean;
  /** Re-read without blanking; a refresh asked for while one runs is done right after it. */
  refresh(): void;
}

/**
 * GET `path` whenever it or the query changes (like useApi), and again on refresh() — keeping the
 * figures on screen meanwhile, so a live update changes the cells in place.
 */
export function useRefreshable<T>(path: string | null, query?: Query): Refreshable<T> {
  const key = path === null ? null : JSON.stringify([path, query ?? {}]);
  const [state, setState] = useState<{ key: string | null; data: T | undefined; error: unknown }>({ key: null, data: undefined, error: undefined });
  const [tick, setTick] = useState(0);
  const running = useRef(false);
  const again = useRef(false);

  useEffect(() => {
    if (key === null || path === null) return;
    const ctrl = new AbortController();
    running.current = true;
    api
      .get<T>(path, query, ctrl.signal)
      .then((data) => setState({ key, data, error: undefined }))
      .catch((error: unknown) => {
        // A failed refresh keeps the figures shown, with the error beside them.
        if (!ctrl.signal.aborted) setState((s) => ({ key, data: s.key === key ? s.data : undefined, error }));
      })
      .finally(() => {
        if (ctrl.signal.aborted) return;
        running.current = false;
        if (again.current) {
          again.current = false;
          setTick((n) => n + 1);
        }
      });
    return () => {
      running.current = false;
      ctrl.abort();
    };
    // `key` stands for path and query.
  }, [key, tick]);

  const refresh = useCallback(() => {
    if (running.current) again.current = true;
    else setTick((n) => n + 1);
  }, []);

  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: key !== null && (!current || (state.data === undefined && state.error === undefined)),
    refresh,
  };
}
