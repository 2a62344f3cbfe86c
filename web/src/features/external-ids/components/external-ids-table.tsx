'use client';

import { Table, Text } from '@mantine/core';
import { useI18n } from '@/i18n/i18n-provider';

/** The ids a record has in other systems (P7), as GET answers them. */
export function ExternalIdsTable({ ids }: { ids: { system: string; externalId: string }[] | undefined }) {
  const { t } = useI18n();
  if (!ids?.length) {
    return (
      <Text c="dimmed" data-testid="external-ids-empty">
        {t('company.externalIds.empty')}
      </Text>
    );
  }
  return (
    <Table data-testid="external-ids">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('company.externalIds.system')}</Table.Th>
          <Table.Th>{t('company.externalIds.id')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {ids.map((x) => (
          <Table.Tr key={`${x.system}:${x.externalId}`}>
            <Table.Td>{x.system}</Table.Td>
            <Table.Td>
              <code>{x.externalId}</code>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
