'use client';

import { Button, Checkbox, Group, Modal, Stack, Switch, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { useApi } from '@/api/api-provider';
import { ProblemAlert } from '@/api/problem-alert';
import { useMayAssignOwners, useUserNames } from '@/features/directory/hooks/use-directory';
import { useI18n } from '@/i18n/i18n-provider';
import { BulkReassign, ExportMenu, ListFooter, useDebouncedSearch, useExport, useSelection } from '@/shared/records/record-list';
import { exportPersons, type PersonListParams } from '../api/persons.api';
import { usePersonList, useReassignPersons } from '../hooks/use-persons';
import { PersonForm } from './person-form';
import { usePersonName } from './person-name';

const DEFAULT_SORT = 'familyName,givenName';

function usePersonListState(): [PersonListParams, (patch: Partial<PersonListParams>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo<PersonListParams>(
    () => ({ q: params.get('q') ?? '', mineOnly: params.get('mine') === '1', sort: params.get('sort') || DEFAULT_SORT }),
    [params],
  );
  const update = useCallback(
    (patch: Partial<PersonListParams>) => {
      const next = { ...state, ...patch };
      const search = new URLSearchParams();
      if (next.q) search.set('q', next.q);
      if (next.mineOnly) search.set('mine', '1');
      if (next.sort !== DEFAULT_SORT) search.set('sort', next.sort);
      const qs = search.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [state, router, pathname],
  );
  return [state, update];
}

export function PersonList() {
  const { t, locale } = useI18n();
  const router = useRouter();
  const ownerName = useUserNames();
  const name = usePersonName();
  const mayAssign = useMayAssignOwners();
  const [state, update] = usePersonListState();
  const [search, setSearch] = useDebouncedSearch(state.q, useCallback((next: string) => update({ q: next }), [update]));
  const [creating, setCreating] = useState(false);
  const { selected, setSelected, toggle } = useSelection();
  const api = useApi();
  const { exporting, download } = useExport((format) => exportPersons(api, state, format));
  const list = usePersonList(state);
  const reassign = useReassignPersons();
  const persons = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;

  // the name column sorts the way names are written in the UI language
  const nameSort = locale === 'hu' ? 'familyName,givenName' : 'givenName,familyName';
  const descending = nameSort.split(',').map((f) => `-${f}`).join(',');
  const sortedByName = state.sort === nameSort;
  const sortedByNameDesc = state.sort === descending;
  const allSelected = persons.length > 0 && persons.every((p) => selected.has(p.id));

  return (
    <Stack>
      <Group justify="space-between">
        <Group align="baseline">
          <Title order={2}>{t('persons.title')}</Title>
          {list.data && (
            <Text c="dimmed" data-testid="persons-total">
              {t('companies.total', { count: total ?? persons.length })}
            </Text>
          )}
        </Group>
        <Group>
          <ExportMenu exporting={exporting} onDownload={download} testIdPrefix="persons" />
          <Button onClick={() => setCreating(true)} data-testid="person-new">
            {t('persons.new')}
          </Button>
        </Group>
      </Group>
      <Group align="flex-end">
        <TextInput
          label={t('companies.search')}
          placeholder={t('persons.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          type="search"
          w={280}
          data-testid="persons-search"
        />
        <Switch
          label={t('companies.mineOnly')}
          checked={state.mineOnly}
          onChange={(e) => update({ mineOnly: e.currentTarget.checked })}
          mb={8}
          data-testid="persons-mine-only"
        />
      </Group>
      <BulkReassign
        enabled={mayAssign}
        selected={selected}
        onClear={() => setSelected(new Set())}
        onReassign={(ids, ownerId) => reassign.mutateAsync({ ids, ownerId })}
        testIdPrefix="persons"
      />
      {list.error && <ProblemAlert error={list.error} />}
      <Table.ScrollContainer minWidth={700}>
        <Table striped highlightOnHover data-testid="persons-table">
          <Table.Thead>
            <Table.Tr>
              {mayAssign && (
                <Table.Th w={40}>
                  <Checkbox
                    aria-label={t('list.selectAll')}
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(persons.map((p) => p.id)))}
                  />
                </Table.Th>
              )}
              <Table.Th>
                <UnstyledButton
                  fw={700}
                  fz="sm"
                  onClick={() => update({ sort: sortedByName ? descending : nameSort })}
                  aria-label={t('list.sortBy', { column: t('person.field.name') })}
                  data-testid="persons-sort-name"
                >
                  {t('person.field.name')} {sortedByName ? '▲' : sortedByNameDesc ? '▼' : '↕'}
                </UnstyledButton>
              </Table.Th>
              <Table.Th>{t('person.field.position')}</Table.Th>
              <Table.Th>{t('person.field.company')}</Table.Th>
              <Table.Th>{t('person.field.email')}</Table.Th>
              <Table.Th>{t('person.field.phone')}</Table.Th>
              <Table.Th>{t('person.field.owner')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {persons.map((p) => {
              const work = p.employments.find((e) => e.current && e.primary) ?? p.employments.find((e) => e.current);
              return (
                <Table.Tr key={p.id} data-testid="person-row">
                  {mayAssign && (
                    <Table.Td>
                      <Checkbox
                        aria-label={t('list.select', { name: name(p) })}
                        checked={selected.has(p.id)}
                        onChange={() => toggle(p.id)}
                      />
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Link href={`/persons/${p.id}`}>{name(p)}</Link>
                  </Table.Td>
                  <Table.Td>{work?.role ?? p.position}</Table.Td>
                  <Table.Td>{work?.companyVisible ? <Link href={`/companies/${work.companyId}`}>{work.companyName}</Link> : work?.companyName}</Table.Td>
                  <Table.Td>{p.emails[0]?.address}</Table.Td>
                  <Table.Td>{p.phones[0]?.number}</Table.Td>
                  <Table.Td>{ownerName(p.ownerId)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ListFooter
        loading={list.isPending}
        empty={list.isSuccess && persons.length === 0}
        emptyText={t('persons.empty')}
        testIdPrefix="persons"
        hasNextPage={list.hasNextPage}
        fetchingNextPage={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
      />
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('persons.new')} size="xl" data-testid="person-form-modal">
        {creating && (
          <PersonForm
            mode="create"
            onCancel={() => setCreating(false)}
            onSaved={(p) => {
              notifications.show({ color: 'green', message: t('person.form.created', { name: name(p) }) });
              setCreating(false);
              router.push(`/persons/${p.id}`);
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
