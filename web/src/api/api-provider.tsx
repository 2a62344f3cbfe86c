'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useAuth } from '@/auth/auth-provider';
import { useI18n } from '@/i18n/i18n-provider';
import { ApiError } from './api-error';
import { createApiClient, type ApiClient } from './client';

const ApiContext = createContext<ApiClient | null>(null);

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // 4xx answers will not change by asking again.
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

export function ApiProvider({ children }: { children: ReactNode }) {
  const { config, getToken } = useAuth();
  const { locale } = useI18n();
  // Read at call time, so switching the language does not rebuild the client (and refetch everything).
  const localeRef = useRef(locale);
  localeRef.current = locale;
  const [queryClient] = useState(makeQueryClient);
  const client = useMemo(
    // A 401 is shown, not answered with a new sign-in: a gateway that rejects every token would loop.
    () => createApiClient({ gatewayUrl: config.gatewayUrl, getToken, language: () => localeRef.current }),
    [config.gatewayUrl, getToken],
  );
  return (
    <ApiContext.Provider value={client}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ApiContext.Provider>
  );
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside ApiProvider');
  return client;
}
