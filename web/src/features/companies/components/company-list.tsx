'use client';

import {
  Button,
  Center,
  Group,
  Loader,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { ProblemAlert } from '@/api/problem-alert';
import { useMe, useUserNames } from '@/features/directory/hooks/use-directory';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { COMPANY_KINDS, type CompanyKind } from '../api/companies.api';
import { useCompanyList } from '../hooks/use-companies';
import { useCompanyListState } from '../hooks/use-company-list-state';
import { CompanyFormModal } from './company-form-modal';
import { CompanyKindBadge, CompanyStatusBadge } from './company-labels';

export function CompanyList() {
  const { t } = useI18n();
  const fmt = useFormat();
  const me = useMe();
  const ownerName = useUserNames();

  const [{ q, kind, mineOnly, sort }, update] = useCompanyListState();
  // The box answers every keystroke; the URL (and so the query) follows once typing pauses.
  const [search, setSearch] = useState(q);
  const [debounced] = useDebouncedValue(search, 300);
  useEffect(() => {
    if (debounced.trim() !== q) update({ q: debounced.trim() });
  }, [debounced, q, update]);
  const [formOpen, setFormOpen] = useState(false);

  const ownerId = mineOnly ? (me.data?.id ?? null) : null;
  const list = useCompanyList({ q, kind, ownerId, sort }, !mineOnly || ownerId !== null);

  const companies = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;

  return (
    <Stack>
      <Group justify="space-between">
        <Group align="baseline">
          <Title order={2}>{t('companies.title')}</Title>
          {list.data && (
            <Text c="dimmed" data-testid="companies-total">
              {total !== undefined
                ? t('companies.total', { count: fmt.integer(total) })
                : t('companies.shown', { count: fmt.integer(companies.length) })}
            </Text>
          )}
        </Group>
        <Button onClick={() => setFormOpen(true)} data-testid="company-new">
          {t('companies.new')}
        </Button>
      </Group>

      <Group align="flex-end">
        <TextInput
          label={t('companies.search')}
          placeholder={t('companies.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
          w={280}
          data-testid="companies-search"
        />
        <Select
          label={t('companies.kindFilter')}
          placeholder={t('companies.kindAll')}
          data={COMPANY_KINDS.map((k) => ({ value: k, label: t(`company.kind.${k}`) }))}
          value={kind}
          onChange={(v) => update({ kind: v as CompanyKind | null })}
          clearable
          w={220}
          data-testid="companies-kind-filter"
        />
        <Switch
          label={t('companies.mineOnly')}
          checked={mineOnly}
          onChange={(e) => update({ mineOnly: e.currentTarget.checked })}
          mb={8}
          data-testid="companies-mine-only"
        />
      </Group>

      {list.error && <ProblemAlert error={list.error} />}
      {me.error && mineOnly && <ProblemAlert error={me.error} />}

      <Table striped highlightOnHover data-testid="companies-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th aria-sort={sort === 'name' ? 'ascending' : 'descending'}>
              <UnstyledButton
                onClick={() => update({ sort: sort === 'name' ? '-name' : 'name' })}
                aria-label={t('companies.sortByName')}
                data-testid="companies-sort-name"
                fw={700}
              >
                {t('companies.col.name')} {sort === 'name' ? '▲' : '▼'}
              </UnstyledButton>
            </Table.Th>
            <Table.Th>{t('companies.col.kind')}</Table.Th>
            <Table.Th>{t('companies.col.status')}</Table.Th>
            <Table.Th>{t('companies.col.taxNumber')}</Table.Th>
            <Table.Th>{t('companies.col.city')}</Table.Th>
            <Table.Th>{t('companies.col.owner')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {companies.map((c) => (
            <Table.Tr key={c.id} data-testid="company-row">
              <Table.Td>
                <Link href={`/companies/${c.id}`}>{c.name}</Link>
              </Table.Td>
              <Table.Td>
                <CompanyKindBadge kind={c.kind} />
              </Table.Td>
              <Table.Td>
                <CompanyStatusBadge status={c.status} />
              </Table.Td>
              <Table.Td>{c.taxNumber}</Table.Td>
              <Table.Td>{c.addresses[0]?.city}</Table.Td>
              <Table.Td>{ownerName(c.ownerId)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      {list.isPending && (list.fetchStatus !== 'idle' || me.isPending) && (
        <Center>
          <Loader size="sm" />
        </Center>
      )}
      {list.isSuccess && companies.length === 0 && (
        <Text c="dimmed" ta="center" data-testid="companies-empty">
          {t('companies.empty')}
        </Text>
      )}
      {list.hasNextPage && (
        <Center>
          <Button
            variant="light"
            onClick={() => void list.fetchNextPage()}
            loading={list.isFetchingNextPage}
            data-testid="companies-load-more"
          >
            {t('companies.loadMore')}
          </Button>
        </Center>
      )}

      <CompanyFormModal opened={formOpen} onClose={() => setFormOpen(false)} />
    </Stack>
  );
}
