import { describe, expect, it } from 'vitest';
import { PORTAL_URL, requireRunningPortal, signInThroughPortal, usePortalPage, withScreenshotOnFailure } from './portal';

describe('the portal’s security headers', () => {
  const portal = usePortalPage();

  it('every page forbids framing and sniffing and limits the browser to the portal, the gateway and Keycloak; sign-in and the company list work under that policy', async () => {
    const config = await requireRunningPortal();
    const page = portal.page;
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
    });

    await withScreenshotOnFailure(page, 'security-headers', async () => {
      const res = await fetch(`${PORTAL_URL}/companies`, { redirect: 'manual' });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain(`frame-ancestors 'none'`);
      expect(csp).toContain(`object-src 'none'`);
      expect(csp).toMatch(new RegExp(`connect-src 'self' ${new URL(config.gatewayUrl).origin} ${new URL(config.keycloakUrl).origin}`));
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      // route handlers too
      expect((await fetch(`${PORTAL_URL}/portal-config`)).headers.get('content-security-policy')).toBe(csp);

      // keycloak-js signs in (redirects, token exchange with Keycloak) and the list loads from the gateway
      await signInThroughPortal(page, config, 'anna.sales');
      await page.getByTestId('companies-table').waitFor({ timeout: 20_000 });
      expect(violations).toEqual([]);
    });
  });
});
