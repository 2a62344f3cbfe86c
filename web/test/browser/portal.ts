import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

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
