/**
 * A small router over the History API: the current location, navigate(), <Link>, and route
 * patterns like /thu-tuc/:code. `focusKey` changes when the path changes by navigation (not on
 * the first load), so the new page can move focus to its main heading.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

export interface Location {
  pathname: string;
  search: string;
}

interface RouterState {
  location: Location;
  focusKey: number;
  navigate(to: string, opts?: { replace?: boolean }): void;
}

const RouterContext = createContext<RouterState | null>(null);

const current = (): Location => ({ pathname: window.location.pathname, search: window.location.search });

export function RouterProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState(() => ({ location: current(), focusKey: 0 }));

  const sync = useCallback(() => {
    setState((s) => {
      const location = current();
      const pathChanged = location.pathname !== s.location.pathname;
      return { location, focusKey: pathChanged ? s.focusKey + 1 : s.focusKey };
    });
  }, []);

  useEffect(() => {
    window.addEventListener('popstate', sync);
    return () => window.removeEventListener('popstate', sync);
  }, [sync]);

  const navigate = useCallback(
    (to: string, opts: { replace?: boolean } = {}) => {
      const before = window.location.pathname;
      if (opts.replace) window.history.replaceState(null, '', to);
      else window.history.pushState(null, '', to);
      if (window.location.pathname !== before) window.scrollTo(0, 0);
      sync();
    },
    [sync],
  );

  const value = useMemo(() => ({ ...state, navigate }), [state, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterState {
  const r = useContext(RouterContext);
  if (!r) throw new Error('useRouter outside RouterProvider');
  return r;
}

export function useSearchParams(): URLSearchParams {
  const { location } = useRouter();
  return useMemo(() => new URLSearchParams(location.search), [location.search]);
}

/** Matches `/thu-tuc/:code` against a path; returns the decoded parameters or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    const seg = s[i]!;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(seg);
      } catch {
        return null;
      }
    } else if (part !== seg) {
      return null;
    }
  }
  return params;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An ordinary link that navigates inside the app; modified clicks (new tab...) stay native. */
export function Link({ to, onClick, target, ...rest }: LinkProps) {
  const { navigate } = useRouter();
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || (target && target !== '_self')) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} target={target} onClick={handle} {...rest} />;
}
