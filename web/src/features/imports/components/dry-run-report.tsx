'use client';

import { Badge, SimpleGrid, Text } from '@mantine/core';
import Link from 'next/link';
import { useFormat } from '@/i18n/format';
import type { MessageKey } from '@/i18n/hu';
import { useI18n } from '@/i18n/i18n-provider';
import type { ImportReport } from '../api/imports.api';
import { DataTable } from '@/shell/data-table';
import { ImportStat } from './import-stat';
import { ReportCard } from './report-card';

type RowError = ImportReport['errors'][number];
type LikelyDuplicate = ImportReport['duplicates'][number];

const REASONS = ['taxNumber', 'registrationNumber', 'name', 'email'];
// The file's columns the server names by field; their labels are the company form's.
const KNOWN_COLUMNS = new Set(['name', 'legalForm', 'kind', 'status', 'taxNumber', 'registrationNumber', 'country', 'industry', 'size', 'website', 'email', 'phone', 'postalCode', 'city', 'street']);

/** The dry run's counts: rows, valid rows, errors, likely duplicates. */
export function DryRunCounts({ report: r }: { report: ImportReport }) {
  const { t } = useI18n();
  const fmt = useFormat();
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }}>
      <ImportStat label={t('import.rows')} value={fmt.integer(r.rows)} testId="import-rows" />
      <ImportStat label={t('import.valid')} value={fmt.integer(r.valid)} testId="import-valid" color="green" />
      <ImportStat label={t('import.errors')} value={fmt.integer(r.errorCount)} testId="import-error-count" color={r.errorCount ? 'red' : undefined} />
      <ImportStat label={t('import.duplicates')} value={fmt.integer(r.duplicateCount)} testId="import-duplicate-count" color={r.duplicateCount ? 'orange' : undefined} />
    </SimpleGrid>
  );
}

/** Step 3, the dry run's findings: each bad row by row and column, and the likely duplicates. */
export function DryRunReport({ report }: { report: ImportReport }) {
  return (
    <>
      {report.errors.length > 0 && <RowErrors report={report} />}
      {report.duplicates.length > 0 && <LikelyDuplicates report={report} />}
    </>
  );
}

function RowErrors({ report: r }: { report: ImportReport }) {
  const { t } = useI18n();
  const columnLabel = (column: string) => (KNOWN_COLUMNS.has(column) ? t(`company.field.${column}` as MessageKey) : column || '—');
  return (
    <ReportCard title={t('import.errorsTitle')} help={t('import.rowHelp')}>
      <DataTable<RowError>
        striped
        testId="import-errors"
        scroll={{ minWidth: 500, maxHeight: 400 }}
        rows={r.errors}
        rowKey={(_, i) => i}
        rowProps={() => ({ 'data-testid': 'import-error-row' })}
        columns={[
          {
            key: 'row',
            header: t('import.row'),
            th: { w: 80 },
            cell: (e) => (e.row === 0 ? t('import.fileLevel') : e.row),
            td: () => ({ 'data-testid': 'import-error-row-number' }),
          },
          { key: 'column', header: t('import.column'), th: { w: 200 }, cell: (e) => columnLabel(e.column), td: () => ({ 'data-testid': 'import-error-column' }) },
          { key: 'message', header: t('import.message'), cell: (e) => e.message },
        ]}
      />
      {r.truncated && (
        <Text size="sm" c="dimmed">
          {t('import.truncated')}
        </Text>
      )}
    </ReportCard>
  );
}

function LikelyDuplicates({ report: r }: { report: ImportReport }) {
  const { t } = useI18n();
  return (
    <ReportCard title={t('import.duplicatesTitle')}>
      <DataTable<LikelyDuplicate>
        testId="import-duplicates"
        rows={r.duplicates}
        rowKey={(_, i) => i}
        columns={[
          { key: 'row', header: t('import.row'), th: { w: 80 }, cell: (d) => d.row },
          {
            key: 'match',
            header: t('import.match'),
            cell: (d) =>
              d.matchId ? (
                <Link href={`/${r.entity === 'person' ? 'persons' : 'companies'}/${d.matchId}`} target="_blank">
                  {t('import.existingRecord')}
                </Link>
              ) : d.matchRow ? (
                t('import.sameFileRow', { row: d.matchRow })
              ) : (
                '—'
              ),
          },
          {
            key: 'reason',
            header: t('import.reason'),
            cell: (d) => (
              <Badge variant="light" color="orange">
                {REASONS.includes(d.reason) ? t(`duplicates.reason.${d.reason}` as MessageKey) : d.reason}
              </Badge>
            ),
          },
        ]}
      />
    </ReportCard>
  );
}
