import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, onSessionLost, refreshSession, setAccessToken, unwrap } from './api/client';
import type { Me } from './api/types';
import { continueSsoLogout } from './components/SsoSignIn';

interface AuthState {
  status: 'loading' | 'signed-out' | 'signed-in';
  me: Me | null;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  has(...roles: string[]): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

async function loadMe(): Promise<Me> {
  return unwrap<Me>(api.GET('/api/me'));
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthState['status']>('loading');
  const [me, setMe] = useState<Me | null>(null);

  useEffect(() => {
    onSessionLost(() => {
      setAccessToken(null);
      setMe(null);
      setStatus('signed-out');
    });
    // A page load has no access token: the refresh cookie, if any, restores the session.
    refreshSession()
      .then(async (ok) => {
        if (!ok) return setStatus('signed-out');
        setMe(await loadMe());
        setStatus('signed-in');
      })
      .catch(() => setStatus('signed-out'));
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const tokens = await unwrap<{ accessToken: string }>(api.POST('/api/auth/login', { body: { email, password } }));
    setAccessToken(tokens.accessToken);
    setMe(await loadMe());
    setStatus('signed-in');
  }, []);

  const signOut = useCallback(async () => {
    await api.POST('/api/auth/logout').catch(() => undefined);
    setAccessToken(null);
    setMe(null);
    setStatus('signed-out');
    continueSsoLogout();
  }, []);

  const value = useMemo<AuthState>(
    () => ({ status, me, signIn, signOut, has: (...roles) => !!me && roles.some((r) => me.roles.includes(r)) }),
    [status, me, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

export const STAFF_ROLES = ['rsdo_officer', 'rsdo_lead', 'export_control', 'admin'];
