import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freshTaxNumber,
  launchChromium,
  PORTAL_URL,
  requireRunningPortal,
  signInAtKeycloak,
  withScreenshotOnFailure,
  type PortalConfig,
} from './portal';

const STEP = { timeout: 20_000 };

describe('companies in the portal', () => {
  let config: PortalConfig;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'hu-HU' });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  const atKeycloakLogin = (url: URL) => url.href.startsWith(`${config.keycloakUrl}/realms/${config.realm}/`);

  it('a sales rep signs in, creates a company, finds it by searching, and signs out', async () => {
    // Checked inside the test, so a stack that is not running fails this test by name.
    config = await requireRunningPortal();
    await withScreenshotOnFailure(page, 'companies', async () => {
      await page.goto(PORTAL_URL);
      await page.waitForURL(atKeycloakLogin, STEP);
      await expect.poll(() => page.locator('#username').isVisible(), STEP).toBe(true);

      await signInAtKeycloak(page, 'anna.sales', 'kapocs');
      await page.waitForURL((url) => url.href.startsWith(`${PORTAL_URL}/companies`), STEP);
      await page.getByTestId('companies-table').waitFor(STEP);
      await expect.poll(() => page.getByTestId('user-name').textContent(), STEP).not.toBe('');

      const name = `Böngészőteszt Kft. ${Date.now()}`;
      await page.getByTestId('company-new').click();
      const form = page.getByTestId('company-form');
      await form.waitFor(STEP);
      await form.getByTestId('company-form-name').fill(name);
      await form.getByTestId('company-form-addresses.0.postalCode').fill('1051');
      await form.getByTestId('company-form-addresses.0.city').fill('Budapest');
      await form.getByTestId('company-form-addresses.0.street').fill('Nádor utca 7.');
      await form.getByTestId('company-form-emails.0.address').fill('info@bongeszoteszt.hu');
      await form.getByTestId('company-form-phones.0.number').fill('+36 1 234 5678');

      // A Hungarian tax number with a wrong check digit: the server's 400 lands beside the field.
      const taxNumber = form.getByTestId('company-form-taxNumber');
      await taxNumber.fill('12345678-2-41');
      await form.getByTestId('company-form-submit').click();
      await expect.poll(() => taxNumber.getAttribute('aria-invalid'), STEP).toBe('true');

      const validTaxNumber = freshTaxNumber();
      await taxNumber.fill(validTaxNumber);
      await form.getByTestId('company-form-submit').click();
      await form.waitFor({ state: 'detached', ...STEP });

      await page.getByTestId('companies-search').fill(name);
      const row = page.getByTestId('company-row').filter({ hasText: name });
      await row.waitFor(STEP);
      await expect.poll(() => page.getByTestId('company-row').count(), STEP).toBe(1);
      expect(await row.textContent()).toContain('Budapest');
      expect(await row.textContent()).toContain(validTaxNumber);

      await page.getByTestId('sign-out').click();
      await page.waitForURL(atKeycloakLogin, STEP);
      await expect.poll(() => page.locator('#username').isVisible(), STEP).toBe(true);
    });
  });
});
