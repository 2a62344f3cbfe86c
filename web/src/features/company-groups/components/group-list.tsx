'use client';

import { Button, Group, Stack, Switch, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { ListFooter } from '@/shared/records/record-list';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ProblemAlert } from '@/api/problem-alert';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { useCompanyGroupList } from '../hooks/use-company-groups';
import { GroupFormModal } from './group-form-modal';

export function GroupList() {
  const { t } = useI18n();
  const fmt = useFormat();
  const router = useRouter();
  const ownerName = useUserNames();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 300);
  const [mineOnly, setMineOnly] = useState(false);
  const [sort, setSort] = useState('name');
  const [creating, setCreating] = useState(false);
  const list = useCompanyGroupList({ q, mineOnly, sort });
  const groups = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;

  return (
    <Stack>
      <Group justify="space-between">
        <Group align="baseline">
          <Title order={2}>{t('groups.title')}</Title>
          {list.data && (
            <Text c="dimmed" data-testid="groups-total">
              {t('companies.total', { count: total ?? groups.length })}
            </Text>
          )}
        </Group>
        <Button onClick={() => setCreating(true)} data-testid="group-new">
          {t('groups.new')}
        </Button>
      </Group>
      <Group align="flex-end">
        <TextInput
          label={t('companies.search')}
          placeholder={t('groups.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
          w={280}
          data-testid="groups-search"
        />
        <Switch label={t('companies.mineOnly')} checked={mineOnly} onChange={(e) => setMineOnly(e.currentTarget.checked)} mb={8} />
      </Group>
      {list.error && <ProblemAlert error={list.error} />}
      <Table striped highlightOnHover data-testid="groups-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              <UnstyledButton fw={700} fz="sm" onClick={() => setSort(sort === 'name' ? '-name' : 'name')} aria-label={t('list.sortBy', { column: t('group.field.name') })}>
                {t('group.field.name')} {sort === 'name' ? '▲' : '▼'}
              </UnstyledButton>
            </Table.Th>
            <Table.Th>{t('group.field.description')}</Table.Th>
            <Table.Th>{t('company.field.owner')}</Table.Th>
            <Table.Th>{t('company.field.updatedAt')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map((g) => (
            <Table.Tr key={g.id} data-testid="group-row">
              <Table.Td>
                <Link href={`/company-groups/${g.id}`}>{g.name}</Link>
              </Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={1}>
                  {g.description}
                </Text>
              </Table.Td>
              <Table.Td>{ownerName(g.ownerId)}</Table.Td>
              <Table.Td>{fmt.date(g.updatedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ListFooter
        loading={list.isPending}
        empty={list.isSuccess && groups.length === 0}
        emptyText={t('groups.empty')}
        testIdPrefix="groups"
        hasNextPage={list.hasNextPage}
        fetchingNextPage={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
      />
      <GroupFormModal
        opened={creating}
        onClose={() => setCreating(false)}
        onSaved={(g) => {
          notifications.show({ color: 'green', message: t('company.form.created', { name: g.name }) });
          setCreating(false);
          router.push(`/company-groups/${g.id}`);
        }}
      />
    </Stack>
  );
}
