/** Who is logged in (GET /api/auth/me; 401 = nobody), and logging out. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken } from './api.js';
import type { Session, SessionUser } from './types.js';

interface SessionState {
  /** undefined while loading; null when not logged in. */
  user: SessionUser | null | undefined;
  refresh(): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState>({ user: undefined, refresh: async () => {}, logout: async () => {} });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const s = await api.get<Session>('/api/auth/me');
      setCsrfToken(s.csrfToken);
      setUser(s.user);
    } catch (err) {
      setCsrfToken(null);
      // 401 = not logged in; any other failure also leaves the visitor logged out, with the
      // login button available.
      if (err instanceof ApiError && err.status !== 401) console.warn('GET /api/auth/me failed', err);
      setUser(null);
    }
  }, []);

  const logout = useCallback(async () => {
    await api.post('/api/auth/logout');
    setCsrfToken(null);
    setUser(null);
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => ({ user, refresh, logout }), [user, refresh, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}
