'use client';

import { Button, Stack, Table, Text } from '@mantine/core';
import type { DuplicateEntity } from '@kapocs/contracts';
import { ListFooter } from '@/shared/records/record-list';
import { notifications } from '@mantine/notifications';
import { ProblemAlert } from '@/api/problem-alert';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { useDismissalList, useUndoDismissal } from '../hooks/use-duplicate-dismissals';
import { PairSide } from './pair-side';

/** Pairs users said are not duplicates, newest first; each can be undone (the pair shows in the list again). */
export function DismissedPairs({ entity }: { entity: DuplicateEntity }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const userName = useUserNames();
  const list = useDismissalList(entity);
  const undo = useUndoDismissal(entity);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      <Text c="dimmed" size="sm">
        {t('duplicates.dismissedHelp')}
      </Text>
      {list.error && <ProblemAlert error={list.error} />}
      <Table striped data-testid="dismissals-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('duplicates.recordA')}</Table.Th>
            <Table.Th>{t('duplicates.recordB')}</Table.Th>
            <Table.Th>{t('duplicates.dismissedBy')}</Table.Th>
            <Table.Th>{t('duplicates.dismissedAt')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((d) => (
            <Table.Tr key={`${d.aId}:${d.bId}`} data-testid="dismissal-row">
              <Table.Td>
                <PairSide entity={entity} side={d.a} />
              </Table.Td>
              <Table.Td>
                <PairSide entity={entity} side={d.b} />
              </Table.Td>
              <Table.Td>{userName(d.dismissedBy)}</Table.Td>
              <Table.Td>{fmt.dateTime(d.dismissedAt)}</Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="light"
                  loading={undo.isPending && undo.variables?.aId === d.aId && undo.variables.bId === d.bId}
                  onClick={() =>
                    undo.mutate(d, {
                      onSuccess: () => notifications.show({ color: 'green', message: t('duplicates.undone') }),
                      onError: (error) =>
                        notifications.show({ color: 'red', title: t('duplicates.undoFailed'), message: error instanceof Error ? error.message : String(error) }),
                    })
                  }
                  data-testid="dismissal-undo"
                >
                  {t('duplicates.undo')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ListFooter
        loading={list.isPending}
        empty={list.isSuccess && items.length === 0}
        emptyText={t('duplicates.dismissedEmpty')}
        testIdPrefix="dismissals"
        hasNextPage={list.hasNextPage}
        fetchingNextPage={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
      />
    </Stack>
  );
}
