'use client';

import { Button, Group, Stack, Switch, Text, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ProblemAlert } from '@/api/problem-alert';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { DataTable } from '@/shell/data-table';
import { ListFooter, ListHeader, ListSearch, pagedItems } from '@/shared/records/record-list';
import type { CompanyGroup } from '../api/company-groups.api';
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
  const { items: groups, total } = pagedItems(list.data);

  return (
    <Stack>
      <ListHeader title={t('groups.title')} total={list.data && t('companies.total', { count: total ?? groups.length })} totalTestId="groups-total">
        <Button onClick={() => setCreating(true)} data-testid="group-new">
          {t('groups.new')}
        </Button>
      </ListHeader>
      <Group align="flex-end">
        <ListSearch value={search} onChange={setSearch} placeholder={t('groups.searchPlaceholder')} w={280} testId="groups-search" />
        <Switch label={t('companies.mineOnly')} checked={mineOnly} onChange={(e) => setMineOnly(e.currentTarget.checked)} mb={8} />
      </Group>
      {list.error && <ProblemAlert error={list.error} />}
      <DataTable<CompanyGroup>
        striped
        highlightOnHover
        testId="groups-table"
        rows={groups}
        rowKey={(g) => g.id}
        rowProps={() => ({ 'data-testid': 'group-row' })}
        columns={[
          {
            key: 'name',
            header: (
              <UnstyledButton fw={700} fz="sm" onClick={() => setSort(sort === 'name' ? '-name' : 'name')} aria-label={t('list.sortBy', { column: t('group.field.name') })}>
                {t('group.field.name')} {sort === 'name' ? '▲' : '▼'}
              </UnstyledButton>
            ),
            cell: (g) => <Link href={`/company-groups/${g.id}`}>{g.name}</Link>,
          },
          {
            key: 'description',
            header: t('group.field.description'),
            cell: (g) => (
              <Text size="sm" lineClamp={1}>
                {g.description}
              </Text>
            ),
          },
          { key: 'owner', header: t('company.field.owner'), cell: (g) => ownerName(g.ownerId) },
          { key: 'updatedAt', header: t('company.field.updatedAt'), cell: (g) => fmt.date(g.updatedAt) },
        ]}
      />
      <ListFooter list={list} count={groups.length} emptyText={t('groups.empty')} testIdPrefix="groups" />
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
