'use client';

import { Badge, Card, SimpleGrid, Table, Text, Title } from '@mantine/core';
import Link from 'next/link';
import { useFormat } from '@/i18n/format';
import type { MessageKey } from '@/i18n/hu';
import { useI18n } from '@/i18n/i18n-provider';
import type { ImportReport } from '../api/imports.api';
import { ImportStat } from './import-stat';

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
    <Card withBorder>
      <Title order={5} mb="xs">
        {t('import.errorsTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('import.rowHelp')}
      </Text>
      <Table.ScrollContainer minWidth={500} mah={400}>
        <Table striped data-testid="import-errors">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={80}>{t('import.row')}</Table.Th>
              <Table.Th w={200}>{t('import.column')}</Table.Th>
              <Table.Th>{t('import.message')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.errors.map((e, i) => (
              <Table.Tr key={i} data-testid="import-error-row">
                <Table.Td data-testid="import-error-row-number">{e.row === 0 ? t('import.fileLevel') : e.row}</Table.Td>
                <Table.Td data-testid="import-error-column">{columnLabel(e.column)}</Table.Td>
                <Table.Td>{e.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {r.truncated && (
        <Text size="sm" c="dimmed">
          {t('import.truncated')}
        </Text>
      )}
    </Card>
  );
}

function LikelyDuplicates({ report: r }: { report: ImportReport }) {
  const { t } = useI18n();
  return (
    <Card withBorder>
      <Title order={5} mb="xs">
        {t('import.duplicatesTitle')}
      </Title>
      <Table data-testid="import-duplicates">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={80}>{t('import.row')}</Table.Th>
            <Table.Th>{t('import.match')}</Table.Th>
            <Table.Th>{t('import.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {r.duplicates.map((d, i) => (
            <Table.Tr key={i}>
              <Table.Td>{d.row}</Table.Td>
              <Table.Td>
                {d.matchId ? (
                  <Link href={`/${r.entity === 'person' ? 'persons' : 'companies'}/${d.matchId}`} target="_blank">
                    {t('import.existingRecord')}
                  </Link>
                ) : d.matchRow ? (
                  t('import.sameFileRow', { row: d.matchRow })
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color="orange">
                  {REASONS.includes(d.reason) ? t(`duplicates.reason.${d.reason}` as MessageKey) : d.reason}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
