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

describe('company groups in the portal', () => {
  const session = usePortalPage();

  it('a sales rep creates a group, puts a company in it from the company page, and sees the member on the group page', async () => {
    const page = session.page;
    const config = await requireRunningPortal();
    await withScreenshotOnFailure(page, 'company-groups', async () => {
      await signInThroughPortal(page, config, 'anna.sales', '/company-groups');
      const run = runId();
      const groupName = `Csoportteszt Holding ${run}`;
      await page.getByTestId('group-new').click();
      await page.getByTestId('group-form-name').fill(groupName);
      await page.getByTestId('group-form-description').fill('Böngészőteszt cégcsoport');
      await page.getByTestId('group-form-submit').click();
      await page.waitForURL((url) => url.pathname.startsWith('/company-groups/'), STEP);
      await expect.poll(() => page.getByTestId('group-name').textContent(), STEP).toBe(groupName);
      const groupPath = new URL(page.url()).pathname;

      const companyName = `Csoporttag Kft. ${run}`;
      await page.goto(`${PORTAL_URL}/companies`);
      await createCompanyFromList(page, { name: companyName, taxNumber: freshTaxNumber() });
      await page.getByTestId('company-row').filter({ hasText: companyName }).getByRole('link', { name: companyName }).click();

      // edit: choose the group, save; the group tab links to it
      await page.getByTestId('company-edit').click();
      await chooseOption(page, 'company-form-group', groupName, run);
      await page.getByTestId('company-form-submit').click();
      await page.getByTestId('company-edit').waitFor(STEP);
      await page.getByTestId('company-tab-group').click();
      await page.getByTestId('company-group-link').click();
      await page.waitForURL((url) => url.pathname === groupPath, STEP);
      const member = page.getByTestId('group-member-row').filter({ hasText: companyName });
      await member.waitFor(STEP);

      // the company's audit trail shows the change of group
      await member.getByRole('link', { name: companyName }).click();
      await page.getByTestId('company-tab-audit').click();
      await expect.poll(() => page.getByTestId('audit-table').textContent(), STEP).toContain('Cégcsoport');
    });
  });
});
