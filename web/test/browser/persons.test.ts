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

describe('persons and their employments in the portal', () => {
  const session = usePortalPage();

  it('a sales rep creates a person, gives them an employment at a company, and sees it on the person and on the company', async () => {
    const page = session.page;
    // Checked inside the test, so a stack that is not running fails this test by name.
    const config = await requireRunningPortal();
    await withScreenshotOnFailure(page, 'persons', async () => {
      await signInThroughPortal(page, config, 'anna.sales');
      const run = runId();

      // an existing company to work at
      const companyName = `Munkahelyteszt Kft. ${run}`;
      await createCompanyFromList(page, { name: companyName, taxNumber: freshTaxNumber() });

      // the person
      const familyName = 'Böngésző';
      const givenName = `Eszter ${run}`;
      await page.goto(`${PORTAL_URL}/persons`);
      await page.getByTestId('person-new').click();
      const personForm = page.getByTestId('person-form');
      await personForm.waitFor(STEP);
      await personForm.getByTestId('person-form-familyName').fill(familyName);
      await personForm.getByTestId('person-form-givenName').fill(givenName);
      await personForm.getByTestId('person-form-position').fill('Beszerző');
      await personForm.getByTestId('person-form-emails.0.address').fill(`eszter.${run}@pelda.hu`);
      await personForm.getByTestId('person-form-submit').click();
      await page.waitForURL((url) => /\/persons\/[0-9a-f-]{36}$/.test(url.pathname), STEP);
      // Hungarian order: family name first
      await expect.poll(() => page.getByTestId('person-name').textContent(), STEP).toBe(`${familyName} ${givenName}`);
      const personUrl = page.url();

      // the employment, with the company found by searching
      await page.getByTestId('person-tab-employments').click();
      await page.getByTestId('employment-add').click();
      const employmentForm = page.getByTestId('employment-form');
      await employmentForm.waitFor(STEP);
      await chooseOption(page, 'employment-form-company', companyName, `Munkahelyteszt Kft. ${run}`);
      await employmentForm.getByTestId('employment-form-role').fill('Beszerzési vezető');
      await employmentForm.getByTestId('employment-form-from').fill('2024-03-01');
      await employmentForm.getByTestId('employment-form-submit').click();
      await employmentForm.waitFor({ state: 'detached', ...STEP });

      const row = page.getByTestId('employment-row').filter({ hasText: companyName });
      await row.waitFor(STEP);
      expect(await row.textContent()).toContain('Beszerzési vezető');
      expect(await row.textContent()).toContain('Elsődleges');
      await page.getByTestId('person-tab-details').click();
      await expect.poll(() => page.getByTestId('person-current-company').textContent(), STEP).toContain(companyName);

      // the company's people tab lists the person among its current people
      await page.getByTestId('person-current-company').getByRole('link', { name: companyName }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/companies/'), STEP);
      await expect.poll(() => page.getByTestId('company-name').textContent(), STEP).toBe(companyName);
      await page.getByTestId('company-tab-people').click();
      const personRow = page.getByTestId('company-people-current').getByTestId('company-person-row').filter({ hasText: givenName });
      await personRow.waitFor(STEP);
      expect(await personRow.textContent()).toContain(`${familyName} ${givenName}`);
      expect(await personRow.textContent()).toContain('Beszerzési vezető');

      // in English the given name comes first
      await page.goto(personUrl);
      await page.getByTestId('language-switch').getByText('EN').click();
      await expect.poll(() => page.getByTestId('person-name').textContent(), STEP).toBe(`${givenName} ${familyName}`);
      await page.getByTestId('language-switch').getByText('HU').click();
    });
  });
});
