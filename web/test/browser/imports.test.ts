import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  freshTaxNumber,
  PORTAL_URL,
  requireRunningPortal,
  runId,
  signInThroughPortal,
  withBadCheckDigit,
  withScreenshotOnFailure,
  usePortalPage,
} from './portal';

const STEP = { timeout: 30_000 };

/** A company import file as Hungarian Excel writes CSV: `;`-separated, template column names. */
function companyCsv(rows: { name: string; taxNumber: string }[]): string {
  const header = 'Név;Típus;Adószám;Irányítószám;Település;Cím';
  return [header, ...rows.map((r) => `${r.name};vevő;${r.taxNumber};1051;Budapest;Nádor utca ${Math.floor(Math.random() * 90) + 1}.`)].join('\r\n') + '\r\n';
}

async function searchCompanies(page: Page, text: string) {
  await page.goto(`${PORTAL_URL}/companies?q=${encodeURIComponent(text)}`);
  await page.getByTestId('companies-table').waitFor(STEP);
}

describe('company import in the portal', () => {
  const session = usePortalPage({ acceptDownloads: true });

  it('a dry run names the bad row and column; the corrected file is committed, listed, then undone', async () => {
    const page = session.page;
    const config = await requireRunningPortal();
    await withScreenshotOnFailure(page, 'imports', async () => {
      const run = runId();
      const dir = await mkdtemp(join(tmpdir(), 'kapocs-import-'));
      const good = { name: `Importteszt Alfa Kft. ${run}`, taxNumber: freshTaxNumber() };
      const fixedTax = freshTaxNumber();
      const bad = { name: `Importteszt Béta Kft. ${run}`, taxNumber: withBadCheckDigit(fixedTax) };
      const badFile = join(dir, 'cegek.csv');
      const fixedFile = join(dir, 'cegek-javitott.csv');
      await writeFile(badFile, companyCsv([good, bad]));
      await writeFile(fixedFile, companyCsv([good, { ...bad, taxNumber: fixedTax }]));

      await signInThroughPortal(page, config, 'anna.sales', '/admin/import');

      // the template downloads
      const [template] = await Promise.all([page.waitForEvent('download', STEP), page.getByTestId('import-template-csv').click()]);
      expect(template.suggestedFilename()).toBe('company-import.csv');

      // dry run: one error, in row 2 (the second row under the header), column Adószám
      await page.getByTestId('import-file').setInputFiles(badFile);
      await page.getByTestId('import-errors').waitFor(STEP);
      await expect.poll(() => page.getByTestId('import-error-count').textContent(), STEP).toBe('1');
      expect(await page.getByTestId('import-rows').textContent()).toBe('2');
      const errorRow = page.getByTestId('import-error-row');
      expect(await errorRow.count()).toBe(1);
      expect(await errorRow.getByTestId('import-error-row-number').textContent()).toBe('2');
      expect(await errorRow.getByTestId('import-error-column').textContent()).toBe('Adószám');

      // the corrected file: no errors, committed
      await page.getByTestId('import-reupload').click();
      await page.getByTestId('import-file').setInputFiles(fixedFile);
      await page.getByTestId('import-commit').waitFor(STEP);
      await expect.poll(() => page.getByTestId('import-error-count').textContent(), STEP).toBe('0');
      await expect.poll(() => page.getByTestId('import-valid').textContent(), STEP).toBe('2');
      await page.getByTestId('import-commit').click();
      await page.getByTestId('import-result').waitFor(STEP);
      await expect.poll(() => page.getByTestId('import-created').textContent(), STEP).toBe('2');
      const importUrl = page.url();

      // both companies are in the list
      await searchCompanies(page, run);
      await expect.poll(() => page.getByTestId('company-row').filter({ hasText: run }).count(), STEP).toBe(2);
      expect(await page.getByTestId('companies-table').textContent()).toContain(fixedTax);

      // the export of this search holds exactly the two of them
      await page.getByTestId('companies-export').click();
      const [exported] = await Promise.all([page.waitForEvent('download', STEP), page.getByTestId('companies-export-csv').click()]);
      expect(exported.suggestedFilename()).toMatch(/^companies-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile((await exported.path())!, 'utf8');
      expect(csv).toContain(good.name);
      expect(csv).toContain(bad.name);
      expect(csv.trim().split(/\r?\n/)).toHaveLength(3);

      // undo: they are gone
      await page.goto(importUrl);
      await page.getByTestId('import-undo').click();
      await page.getByTestId('import-undone').waitFor(STEP);
      await searchCompanies(page, run);
      await page.getByTestId('companies-empty').waitFor(STEP);
      expect(await page.getByTestId('company-row').count()).toBe(0);
    });
  });
});
