'use client';

import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import type Keycloak from 'keycloak-js';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { loadPortalConfig, type PortalConfig } from '@/config/portal-config';
import { useI18n } from '@/i18n/i18n-provider';
import { startKeycloak } from './keycloak';

export interface AuthValue {
  config: PortalConfig;
  /** A fresh access token: refreshed first when it expires within 30 s. */
  getToken: () => Promise<string>;
  /** Sends the user to the Keycloak login page (e.g. after a 401). */
  login: () => void;
  logout: () => void;
  username: string | undefined;
}

const AuthContext = createContext<AuthValue | null>(null);

type BootState =
  | { phase: 'config' }
  | { phase: 'config-failed' }
  | { phase: 'signing-in'; config: PortalConfig }
  | { phase: 'sign-in-failed'; config: PortalConfig }
  | { phase: 'ready'; config: PortalConfig; kc: Keycloak };

function BootScreen({ children }: { children: ReactNode }) {
  return (
    <Center h="100vh" data-testid="boot-screen">
      <Stack align="center" maw={480}>
        {children}
      </Stack>
    </Center>
  );
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const { t, locale } = useI18n();
  const [state, setState] = useState<BootState>({ phase: 'config' });
  const [attempt, setAttempt] = useState(0);
  // The locale is only a hint for the login page; changing it must not restart the sign-in.
  const localeRef = useRef(locale);
  localeRef.current = locale;

  useEffect(() => {
    let cancelled = false;
    (async () => {
      let config: PortalConfig;
      try {
        config = await loadPortalConfig();
      } catch {
        if (!cancelled) setState({ phase: 'config-failed' });
        return;
      }
      if (cancelled) return;
      setState({ phase: 'signing-in', config });
      const { kc, ready } = startKeycloak(config, localeRef.current);
      try {
        // With login-required an anonymous visitor is redirected away and this stays pending.
        const authenticated = await ready;
        if (!cancelled && authenticated) setState({ phase: 'ready', config, kc });
      } catch {
        if (!cancelled) setState({ phase: 'sign-in-failed', config });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [attempt, localeRef]);

  const kc = state.phase === 'ready' ? state.kc : null;

  const login = useCallback(() => {
    void kc?.login();
  }, [kc]);

  const getToken = useCallback(async () => {
    if (!kc) throw new Error('not signed in');
    try {
      await kc.updateToken(30);
    } catch {
      // The refresh token has expired as well: only a new sign-in helps.
      await kc.login();
    }
    if (!kc.token) throw new Error('no access token');
    return kc.token;
  }, [kc]);

  const logout = useCallback(() => {
    void kc?.logout({ redirectUri: `${window.location.origin}/` });
  }, [kc]);

  const value = useMemo<AuthValue | null>(
    () =>
      state.phase === 'ready' && kc
        ? {
            config: state.config,
            getToken,
            login,
            logout,
            username: (kc.tokenParsed as { preferred_username?: string } | undefined)?.preferred_username,
          }
        : null,
    [state, kc, getToken, login, logout],
  );

  if (state.phase === 'config-failed' || state.phase === 'sign-in-failed') {
    const message =
      state.phase === 'config-failed'
        ? t('boot.configFailed')
        : t('boot.signInFailed', { url: state.config.keycloakUrl });
    return (
      <BootScreen>
        <Alert color="red" data-testid="boot-error">
          {message}
        </Alert>
        <Button onClick={() => setAttempt((n) => n + 1)}>{t('app.retry')}</Button>
      </BootScreen>
    );
  }
  if (!value) {
    return (
      <BootScreen>
        <Loader />
        <Text c="dimmed">{state.phase === 'config' ? t('boot.config') : t('boot.signingIn')}</Text>
      </BootScreen>
    );
  }
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
