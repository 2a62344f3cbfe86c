import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  chooseOption,
  freshTaxNumber,
  PORTAL_URL,
  requireRunningPortal,
  runId,
  signInThroughPortal,
  withScreenshotOnFailure,
  createCompanyFromList,
  usePortalPage,
} from './portal';

const STEP = { timeout: 20_000 };

async function createCompany(page: Page, name: string, taxNumber: string, kind: string, email: string) {
  await page.goto(`${PORTAL_URL}/companies`);
  await createCompanyFromList(page, { name, taxNumber, kind, email });
}

/**
 * This run's pair: both names in one row. The dev database keeps earlier runs' companies, whose names are alike
 * enough to pair with this run's copy, so the copy's name alone can match several rows.
 */
const pairOfRun = (page: Page, run: string, copy: string) =>
  page.getByTestId('duplicate-row').filter({ hasText: copy }).filter({ hasText: new RegExp(`${run}(?! \\(másolat\\))`) });

describe('duplicates and merge in the portal', () => {
  const session = usePortalPage();

  it('a manager merges two companies with one tax number, choosing a field of the merged one; its old page leads to the survivor', async () => {
    const page = session.page;
    const config = await requireRunningPortal();
    await withScreenshotOnFailure(page, 'merge', async () => {
      await signInThroughPortal(page, config, 'csilla.manager');
      const run = runId();
      const taxNumber = freshTaxNumber();
      const original = `Összevonásteszt Kft. ${run}`;
      const copy = `Összevonásteszt Kft. ${run} (másolat)`;
      await createCompany(page, original, taxNumber, 'Ügyfél', `info.${run}@pelda.hu`);
      await createCompany(page, copy, taxNumber, 'Potenciális ügyfél', `iroda.${run}@pelda.hu`);

      // the pair is listed as likely duplicates by tax number
      await page.goto(`${PORTAL_URL}/duplicates?entity=company`);
      const pair = pairOfRun(page, run, copy);
      await pair.waitFor(STEP);
      expect(await pair.textContent()).toContain('adószám');
      await pair.getByTestId('duplicate-merge').click();
      await page.getByTestId('merge-page').waitFor(STEP);

      // the original survives; the kind comes from the copy
      if ((await page.getByTestId('merge-survivor-name').textContent()) !== original) {
        await page.getByTestId('merge-swap').click();
        await expect.poll(() => page.getByTestId('merge-survivor-name').textContent(), STEP).toBe(original);
      }
      const survivorPath = await page.getByTestId('merge-survivor-name').getAttribute('href');
      const mergedPath = await page.getByTestId('merge-merged-name').getAttribute('href');
      await page.getByTestId('merge-choice-kind-merged').check();
      await page.getByTestId('merge-submit').click();
      await page.waitForURL((url) => url.pathname === survivorPath, STEP);
      await expect.poll(() => page.getByTestId('company-name').textContent(), STEP).toBe(original);
      expect(await page.getByTestId('company-detail').textContent()).toContain('Potenciális ügyfél');
      // both e-mail addresses live on in the survivor
      await expect.poll(() => page.getByTestId('company-emails').textContent(), STEP).toContain(`iroda.${run}@pelda.hu`);
      expect(await page.getByTestId('company-emails').textContent()).toContain(`info.${run}@pelda.hu`);

      // the merged company's old address answers 410 and the portal goes on to the survivor
      await page.goto(`${PORTAL_URL}${mergedPath}`);
      await page.waitForURL((url) => url.pathname === survivorPath, STEP);
      await expect.poll(() => page.getByTestId('company-name').textContent(), STEP).toBe(original);

      // a manager hands it to a rep of the department from the list
      await page.goto(`${PORTAL_URL}/companies?q=${encodeURIComponent(run)}`);
      const row = page.getByTestId('company-row').filter({ hasText: original });
      await row.waitFor(STEP);
      await expect.poll(() => page.getByTestId('company-row').count(), STEP).toBe(1);
      await row.getByTestId('company-row-select').check();
      await page.getByTestId('companies-reassign').click();
      await chooseOption(page, 'reassign-owner', /Anna Kiss/);
      await page.getByTestId('reassign-submit').click();
      await page.getByTestId('reassign-modal').waitFor({ state: 'hidden', ...STEP });
      await expect.poll(() => row.textContent(), STEP).toContain('Anna Kiss');
    });
  });
});

describe('dismissing a pair as not duplicates in the portal', () => {
  const session = usePortalPage();

  it('a rep marks a pair "Nem duplikátum", it leaves the list, and undoing it under "Elutasított párok" brings it back', async () => {
    const page = session.page;
    const config = await requireRunningPortal();
    await withScreenshotOnFailure(page, 'dismiss-duplicate', async () => {
      await signInThroughPortal(page, config, 'anna.sales');
      const run = runId();
      const taxNumber = freshTaxNumber();
      const original = `Elutasításteszt Kft. ${run}`;
      const copy = `Elutasításteszt Kft. ${run} (másolat)`;
      await createCompany(page, original, taxNumber, 'Ügyfél', `info.${run}@pelda.hu`);
      await createCompany(page, copy, taxNumber, 'Ügyfél', `iroda.${run}@pelda.hu`);
      const listed = () => page.locator('[data-testid="duplicate-row"], [data-testid="duplicates-empty"]').first().waitFor(STEP);
      const pairRow = () => pairOfRun(page, run, copy);

      // the pair is listed; "Nem duplikátum" takes it out at once
      await page.goto(`${PORTAL_URL}/duplicates?entity=company`);
      const pair = pairRow();
      await pair.waitFor(STEP);
      await pair.getByTestId('duplicate-dismiss').click();
      await expect.poll(() => pair.count(), STEP).toBe(0);

      // and it stays out when the list is loaded again
      await page.goto(`${PORTAL_URL}/duplicates?entity=company`);
      await listed();
      expect(await pairRow().count()).toBe(0);

      // the dismissed pairs tab shows it with who dismissed it; undo brings it back among the duplicates
      await page.getByTestId('duplicates-tab-dismissed').click();
      await page.waitForURL((url) => url.searchParams.get('view') === 'dismissed', STEP);
      const dismissed = page.getByTestId('dismissal-row').filter({ hasText: copy });
      await dismissed.waitFor(STEP);
      await expect.poll(() => dismissed.textContent(), STEP).toContain('Anna Kiss');
      await dismissed.getByTestId('dismissal-undo').click();
      await expect.poll(() => dismissed.count(), STEP).toBe(0);

      await page.getByTestId('duplicates-tab-pairs').click();
      await pairRow().waitFor(STEP);
      // dismissed again, so reruns against the same database do not pile up tax-number pairs above their own
      await pairRow().getByTestId('duplicate-dismiss').click();
      await expect.poll(() => pairRow().count(), STEP).toBe(0);
    });
  });
});
