'use client';

import { Badge, Button, Group, SegmentedControl, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import type { DuplicateEntity } from '@kapocs/contracts';
import { ListFooter } from '@/shared/records/record-list';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useApi } from '@/api/api-provider';
import { ProblemAlert } from '@/api/problem-alert';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { listDuplicates } from '../api/duplicates.api';
import { duplicateKeys, useDismissDuplicate } from '../hooks/use-duplicate-dismissals';
import { DismissedPairs } from './dismissed-pairs';
import { PairSide, useSideName } from './pair-side';

type View = 'pairs' | 'dismissed';

/** Likely duplicate pairs (P8), best first; each opens the merge page or is dismissed as not a duplicate. */
export function DuplicateList() {
  const { t } = useI18n();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const entity: DuplicateEntity = params.get('entity') === 'person' ? 'person' : 'company';
  const view: View = params.get('view') === 'dismissed' ? 'dismissed' : 'pairs';
  const go = (next: { entity?: DuplicateEntity; view?: View }) => {
    const v = next.view ?? view;
    router.replace(`${pathname}?entity=${next.entity ?? entity}${v === 'dismissed' ? '&view=dismissed' : ''}`);
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('nav.duplicates')}</Title>
        <SegmentedControl
          value={entity}
          onChange={(v) => go({ entity: v === 'person' ? 'person' : 'company' })}
          data={[
            { value: 'company', label: t('nav.companies') },
            { value: 'person', label: t('nav.persons') },
          ]}
          data-testid="duplicates-entity"
        />
      </Group>
      <Tabs value={view} onChange={(v) => go({ view: v === 'dismissed' ? 'dismissed' : 'pairs' })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="pairs" data-testid="duplicates-tab-pairs">
            {t('duplicates.tab.pairs')}
          </Tabs.Tab>
          <Tabs.Tab value="dismissed" data-testid="duplicates-tab-dismissed">
            {t('duplicates.tab.dismissed')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="pairs" pt="md">
          <LikelyPairs entity={entity} />
        </Tabs.Panel>
        <Tabs.Panel value="dismissed" pt="md">
          <DismissedPairs entity={entity} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function LikelyPairs({ entity }: { entity: DuplicateEntity }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const api = useApi();
  const nameOf = useSideName(entity);
  const list = useInfiniteQuery({
    queryKey: duplicateKeys.pairs(entity),
    queryFn: ({ pageParam, signal }) => listDuplicates(api, entity, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 0,
  });
  const dismiss = useDismissDuplicate(entity);
  const pairs = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      <Text c="dimmed" size="sm">
        {t('duplicates.help')}
      </Text>
      {list.error && <ProblemAlert error={list.error} />}
      <Table striped data-testid="duplicates-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('duplicates.recordA')}</Table.Th>
            <Table.Th>{t('duplicates.recordB')}</Table.Th>
            <Table.Th>{t('duplicates.reasons')}</Table.Th>
            <Table.Th>{t('duplicates.score')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pairs.map((p) => (
            <Table.Tr key={`${p.a.id}:${p.b.id}`} data-testid="duplicate-row">
              <Table.Td>
                <PairSide entity={entity} side={p.a} />
              </Table.Td>
              <Table.Td>
                <PairSide entity={entity} side={p.b} />
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {p.reasons.map((r) => (
                    <Badge key={r} variant="light" color={r === 'name' ? 'gray' : 'orange'}>
                      {t(`duplicates.reason.${r}`)}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{fmt.percent(p.score)}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap" justify="flex-end">
                  <Button
                    size="xs"
                    component={Link}
                    href={`/duplicates/merge?entity=${entity}&survivor=${p.a.id}&merged=${p.b.id}`}
                    data-testid="duplicate-merge"
                  >
                    {t('duplicates.merge')}
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    title={t('duplicates.dismissTitle')}
                    loading={dismiss.isPending && dismiss.variables === p}
                    onClick={() =>
                      dismiss.mutate(p, {
                        onSuccess: () =>
                          notifications.show({ color: 'green', message: t('duplicates.dismissed', { a: nameOf(p.a), b: nameOf(p.b) }) }),
                        onError: (error) =>
                          notifications.show({ color: 'red', title: t('duplicates.dismissFailed'), message: error instanceof Error ? error.message : String(error) }),
                      })
                    }
                    data-testid="duplicate-dismiss"
                  >
                    {t('duplicates.dismiss')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ListFooter
        loading={list.isPending}
        empty={list.isSuccess && pairs.length === 0}
        emptyText={t('duplicates.empty')}
        testIdPrefix="duplicates"
        hasNextPage={list.hasNextPage}
        fetchingNextPage={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
      />
    </Stack>
  );
}
