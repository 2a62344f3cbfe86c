import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  chooseOption,
  PORTAL_URL,
  requireRunningPortal,
  runId,
  signInThroughPortal,
  withScreenshotOnFailure,
  usePortalPage,
} from './portal';

const STEP = { timeout: 20_000 };

/** Deletes the definition through the admin page; answers whether it was there. */
async function deleteDefinition(page: Page, key: string): Promise<void> {
  await page.goto(`${PORTAL_URL}/admin/custom-fields`);
  const row = page.locator(`[data-testid="cf-row"][data-key="${key}"]`);
  await row.waitFor(STEP);
  await row.getByTestId('cf-delete').click();
  await page.getByTestId('confirm-delete-submit').click();
  await row.waitFor({ state: 'detached', ...STEP });
}

describe('custom fields in the portal', () => {
  const session = usePortalPage();

  it('an admin defines a required field for competitors; a competitor without it is refused, with it saved, then filtered on and shown as a column', async () => {
    const page = session.page;
    const config = await requireRunningPortal();
    const run = runId();
    const key = `bt${run}`;
    const label = `Piaci részesedés ${run}`;
    let defined = false;
    await withScreenshotOnFailure(page, 'custom-fields', async () => {
      try {
        await signInThroughPortal(page, config, 'admin', '/admin/custom-fields');

        // define it: required, only for competitors, in a section of its own
        await page.getByTestId('cf-new').click();
        const form = page.getByTestId('cf-form');
        await form.waitFor(STEP);
        await form.getByTestId('cf-form-key').fill(key);
        await form.getByTestId('cf-form-label-hu').fill(label);
        await form.getByTestId('cf-form-label-en').fill(`Market share ${run}`);
        await form.getByTestId('cf-form-help-hu').fill('Becsült piaci részesedés a fő termékkörben.');
        await form.getByTestId('cf-form-placement').fill('Versenytárs-elemzés');
        await chooseOption(page, 'cf-form-subtype', 'Versenytárs');
        await form.getByTestId('cf-form-required').check({ force: true });
        await form.getByTestId('cf-form-submit').click();
        await form.waitFor({ state: 'detached', ...STEP });
        const row = page.locator(`[data-testid="cf-row"][data-key="${key}"]`);
        await row.waitFor(STEP);
        defined = true;
        expect(await row.textContent()).toContain(label);

        // a competitor without the field: the form refuses and nothing is saved
        const name = `Egyedimező-teszt Zrt. ${run}`;
        await page.goto(`${PORTAL_URL}/companies`);
        await page.getByTestId('company-new').click();
        const companyForm = page.getByTestId('company-form');
        await companyForm.waitFor(STEP);
        await companyForm.getByTestId('company-form-name').fill(name);
        await chooseOption(page, 'company-form-kind', 'Versenytárs');
        const field = companyForm.getByTestId(`company-form-custom.${key}`);
        await field.waitFor(STEP);
        await companyForm.getByTestId('company-form-submit').click();
        await expect.poll(() => field.getAttribute('aria-invalid'), STEP).toBe('true');
        expect(await companyForm.textContent()).toContain('Kötelező mező.');
        await companyForm.getByTestId('company-form-cancel').click();
        await companyForm.waitFor({ state: 'detached', ...STEP });
        await page.getByTestId('companies-search').fill(name);
        await page.getByTestId('companies-empty').waitFor(STEP);

        // with the field filled in it is saved, and the value shows on its page
        await page.getByTestId('company-new').click();
        await companyForm.waitFor(STEP);
        await companyForm.getByTestId('company-form-name').fill(name);
        await chooseOption(page, 'company-form-kind', 'Versenytárs');
        await companyForm.getByTestId(`company-form-custom.${key}`).fill('12%');
        await companyForm.getByTestId('company-form-submit').click();
        await companyForm.waitFor({ state: 'detached', ...STEP });
        const companyRow = page.getByTestId('company-row').filter({ hasText: name });
        await companyRow.waitFor(STEP);
        await companyRow.getByRole('link', { name }).click();
        await expect.poll(() => page.getByTestId(`custom-value-${key}`).textContent(), STEP).toBe('12%');

        // the list filters on the field (the builder sends custom.<key>) and shows it as a column, remembered
        await page.goto(`${PORTAL_URL}/companies`);
        await page.getByTestId('companies-filter-toggle').click();
        await page.getByTestId('filter-add').click();
        await chooseOption(page, 'filter-field', label, label);
        await page.getByTestId('filter-value').fill('12%');
        await page.getByTestId('filter-apply').click();
        await expect.poll(() => new URL(page.url()).searchParams.get('f') ?? '', STEP).toContain(`custom.${key}`);
        await expect.poll(() => page.getByTestId('company-row').count(), STEP).toBe(1);
        expect(await page.getByTestId('company-row').textContent()).toContain(name);
        await page.getByTestId('companies-columns').click();
        await page.getByTestId(`companies-column-custom.${key}`).check();
        await page.keyboard.press('Escape');
        await page.reload();
        await expect.poll(() => page.getByTestId('companies-table').locator('thead').textContent(), STEP).toContain(label);
        expect(await page.getByTestId('company-row').textContent()).toContain('12%');
      } finally {
        // other tests (and people) must not meet the required field
        if (defined) await deleteDefinition(page, key);
      }
    });
  });
});
