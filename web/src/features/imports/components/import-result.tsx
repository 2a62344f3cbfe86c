'use client';

import { Alert, Button, Group, SimpleGrid } from '@mantine/core';
import Link from 'next/link';
import { useI18n } from '@/i18n/i18n-provider';
import type { ImportReport } from '../api/imports.api';
import { DataTable } from '@/shell/data-table';
import { ImportStat } from './import-stat';
import { ReportCard } from './report-card';

type Conflict = NonNullable<ImportReport['conflicts']>[number];

/** Step 5, a committed or undone import: what was created, updated, skipped or failed; what an undo left alone. */
export function ImportResult({ report: r }: { report: ImportReport }) {
  const { t } = useI18n();
  return (
    <>
      {(r.status === 'committed' || r.status === 'undone') && (
        <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="import-result">
          <ImportStat label={t('import.created')} value={r.created} testId="import-created" color="green" />
          <ImportStat label={t('import.updated')} value={r.updated} testId="import-updated" />
          <ImportStat label={t('import.skipped')} value={r.skipped} testId="import-skipped" />
          <ImportStat label={t('import.failedRows')} value={r.failed} testId="import-failed-rows" color={r.failed ? 'red' : undefined} />
        </SimpleGrid>
      )}
      {r.status === 'undone' && (
        <Alert color={r.conflicts?.length ? 'orange' : 'green'} title={t('import.status.undone')} data-testid="import-undone">
          {t('import.undoneBody', { count: r.undone ?? 0 })}
        </Alert>
      )}
      {r.conflicts && r.conflicts.length > 0 && (
        <ReportCard title={t('import.conflicts')} help={t('import.conflictsHelp')}>
          <DataTable<Conflict>
            testId="import-conflicts"
            rows={r.conflicts}
            rowKey={(c) => `${c.row}:${c.id}`}
            columns={[
              { key: 'row', header: t('import.row'), cell: (c) => c.row },
              {
                key: 'record',
                header: t('import.record'),
                cell: (c) => <Link href={`/${r.entity === 'person' ? 'persons' : 'companies'}/${c.id}`}>{t('import.open')}</Link>,
              },
              { key: 'reason', header: t('import.reason'), cell: (c) => c.reason },
            ]}
          />
        </ReportCard>
      )}
    </>
  );
}

/** After a commit: open the list, or undo the whole import. */
export function ImportResultActions({ report: r, onUndo, undoing }: { report: ImportReport; onUndo: () => void; undoing: boolean }) {
  const { t } = useI18n();
  return (
    <Group>
      <Button component={Link} href={r.entity === 'person' ? '/persons' : '/companies'} variant="default">
        {t('import.openList')}
      </Button>
      <Button color="red" variant="light" onClick={onUndo} loading={undoing} data-testid="import-undo">
        {t('import.undo')}
      </Button>
    </Group>
  );
}
