'use client';

import { Notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { ApiProvider } from '@/api/api-provider';
import { AuthProvider } from '@/auth/auth-provider';
import { I18nProvider } from '@/i18n/i18n-provider';
import { PortalShell } from './portal-shell';

/** Everything a page needs: language, sign-in, the gateway client and the shell around it. */
export function Providers({ children }: { children: ReactNode }) {
  return (
    <I18nProvider>
      <Notifications />
      <AuthProvider>
        <ApiProvider>
          <PortalShell>{children}</PortalShell>
        </ApiProvider>
      </AuthProvider>
    </I18nProvider>
  );
}
