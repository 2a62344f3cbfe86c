import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const PORTAL_URL = (process.env.PORTAL_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));

export interface PortalConfig {
  gatewayUrl: string;
  keycloakUrl: string;
  realm: string;
  clientId: string;
}

async function answer(url: string): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(5_000) });
}

/**
 * Fails (never skips) when the portal or the gateway behind it is not running, saying how to
 * start them; answers the portal's runtime config.
 */
export async function requireRunningPortal(): Promise<PortalConfig> {
  let config: PortalConfig;
  try {
    const res = await answer(`${PORTAL_URL}/portal-config`);
    if (!res.ok) throw new Error(`GET /portal-config answered ${res.status}`);
    config = (await res.json()) as PortalConfig;
  } catch (cause) {
    throw new Error(
      `The portal does not answer at ${PORTAL_URL} (${String(cause)}). ` +
        'Start the local stack with `npm start` in the repo root (or point PORTAL_URL at a running portal).',
    );
  }
  try {
    const res = await answer(`${config.gatewayUrl}/healthz`);
    if (!res.ok) throw new Error(`GET /healthz answered ${res.status}`);
  } catch (cause) {
    throw new Error(
      `The gateway does not answer at ${config.gatewayUrl} (${String(cause)}). Start the local stack with \`npm start\`.`,
    );
  }
  try {
    await answer(`${config.keycloakUrl}/realms/${config.realm}/.well-known/openid-configuration`);
  } catch (cause) {
    throw new Error(
      `Keycloak does not answer at ${config.keycloakUrl} (${String(cause)}). Start the local stack with \`npm start\`.`,
    );
  }
  return config;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * A Chromium page for the tests of a describe block (Hungarian, 1400×1000): launched before them,
 * closed after them. Read `page` inside the tests.
 */
export function usePortalPage(options: BrowserContextOptions = {}): { readonly page: Page } {
  let browser: Browser | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'hu-HU', ...options });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    get page(): Page {
      if (!page) throw new Error('The browser page is not open yet (read it inside a test).');
      return page;
    },
  };
}

/** Runs a browser flow; when it fails, leaves a screenshot in web/test-results/ and rethrows. */
export async function withScreenshotOnFailure(page: Page, name: string, flow: () => Promise<void>): Promise<void> {
  try {
    await flow();
  } catch (error) {
    await mkdir(RESULTS_DIR, { recursive: true });
    const path = `${RESULTS_DIR}${name}-${Date.now()}.png`;
    await page.screenshot({ path, fullPage: true }).catch(() => undefined);
    if (error instanceof Error) error.message += `\n(screenshot: ${path}; page was at ${page.url()})`;
    throw error;
  }
}

/** Signs in on the Keycloak login page the portal redirected to. */
export async function signInAtKeycloak(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
}

/** Opens the portal, is sent to the Keycloak login page, signs in and waits to be back on the portal. */
export async function signInThroughPortal(page: Page, config: PortalConfig, username: string, path = '/companies'): Promise<void> {
  await page.goto(`${PORTAL_URL}${path}`);
  await page.waitForURL((url) => url.href.startsWith(`${config.keycloakUrl}/realms/${config.realm}/`), { timeout: 20_000 });
  await page.locator('#username').waitFor({ timeout: 20_000 });
  await signInAtKeycloak(page, username, 'kapocs');
  await page.waitForURL((url) => url.href.startsWith(`${PORTAL_URL}${path}`), { timeout: 20_000 });
  await page.getByTestId('user-name').filter({ hasText: /\S/ }).waitFor({ timeout: 20_000 });
}

/** Picks an option of a Mantine select (opens it by its data-testid; `search` types into a searchable one first). */
export async function chooseOption(page: Page, testId: string, option: string | RegExp, search?: string): Promise<void> {
  const input = page.getByTestId(testId);
  await input.click();
  if (search !== undefined) await input.fill(search);
  await page.getByRole('option', { name: option }).first().click({ timeout: 20_000 });
}

/** A valid Hungarian tax number no earlier run has used (check digit per the 9-7-3-1 weights). */
export function freshTaxNumber(): string {
  const digits = Array.from({ length: 7 }, () => Math.floor(Math.random() * 10));
  const sum = [9, 7, 3, 1, 9, 7, 3].reduce((acc, w, i) => acc + w * (digits[i] ?? 0), 0);
  return `${digits.join('')}${(10 - (sum % 10)) % 10}-2-41`;
}

/** The same tax number with a wrong check digit. */
export function withBadCheckDigit(taxNumber: string): string {
  const check = Number(taxNumber[7]);
  return `${taxNumber.slice(0, 7)}${(check + 1) % 10}${taxNumber.slice(8)}`;
}

/** A name no earlier run has used. */
export const runId = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

/**
 * Fills in and submits the new-company form from the company list the page is on (kind and the
 * first e-mail address only when given), and waits for the form to close.
 */
export async function createCompanyFromList(
  page: Page,
  company: { name: string; taxNumber: string; kind?: string; email?: string },
): Promise<void> {
  const step = { timeout: 20_000 };
  await page.getByTestId('company-new').click();
  const form = page.getByTestId('company-form');
  await form.waitFor(step);
  await form.getByTestId('company-form-name').fill(company.name);
  if (company.kind !== undefined) await chooseOption(page, 'company-form-kind', company.kind);
  await form.getByTestId('company-form-taxNumber').fill(company.taxNumber);
  if (company.email !== undefined) await form.getByTestId('company-form-emails.0.address').fill(company.email);
  await form.getByTestId('company-form-submit').click();
  await form.waitFor({ state: 'detached', ...step });
}
