'use client';

import { Text } from '@mantine/core';
import { useI18n } from '@/i18n/i18n-provider';
import { DataTable } from '@/shell/data-table';

type ExternalId = { system: string; externalId: string };

/** The ids a record has in other systems (P7), as GET answers them. */
export function ExternalIdsTable({ ids }: { ids: ExternalId[] | undefined }) {
  const { t } = useI18n();
  if (!ids?.length) {
    return (
      <Text c="dimmed" data-testid="external-ids-empty">
        {t('company.externalIds.empty')}
      </Text>
    );
  }
  return (
    <DataTable<ExternalId>
      testId="external-ids"
      rows={ids}
      rowKey={(x) => `${x.system}:${x.externalId}`}
      columns={[
        { key: 'system', header: t('company.externalIds.system'), cell: (x) => x.system },
        { key: 'id', header: t('company.externalIds.id'), cell: (x) => <code>{x.externalId}</code> },
      ]}
    />
  );
}
