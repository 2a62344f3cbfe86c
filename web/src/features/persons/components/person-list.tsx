'use client';

import { Button, Group, Modal, Stack, Switch, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { useApi } from '@/api/api-provider';
import { ProblemAlert } from '@/api/problem-alert';
import { useMayAssignOwners, useUserNames } from '@/features/directory/hooks/use-directory';
import { useI18n } from '@/i18n/i18n-provider';
import { DataTable } from '@/shell/data-table';
import { readOwnedListParams, useUrlListState, writeOwnedListParams } from '@/shared/records/list-url-state';
import {
  BulkReassign,
  ExportMenu,
  ListFooter,
  ListHeader,
  ListSearch,
  pagedItems,
  useDebouncedSearch,
  useExport,
  useSelection,
  useSelectionColumn,
} from '@/shared/records/record-list';
import { exportPersons, type Person, type PersonListParams } from '../api/persons.api';
import { usePersonList, useReassignPersons } from '../hooks/use-persons';
import { PersonForm } from './person-form';
import { usePersonName } from './person-name';

const DEFAULT_SORT = 'familyName,givenName';

const writePersonListState = (next: PersonListParams, search: URLSearchParams) => writeOwnedListParams(next, search, DEFAULT_SORT);

function usePersonListState(): [PersonListParams, (patch: Partial<PersonListParams>) => void] {
  const params = useSearchParams();
  const state = useMemo(() => readOwnedListParams(params, DEFAULT_SORT), [params]);
  return [state, useUrlListState(state, writePersonListState)];
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
  const selection = useSelection();
  const api = useApi();
  const { exporting, download } = useExport((format) => exportPersons(api, state, format));
  const list = usePersonList(state);
  const reassign = useReassignPersons();
  const { items: persons, total } = pagedItems(list.data);
  const selectColumn = useSelectionColumn({ rows: persons, selection, rowLabel: name });

  // the name column sorts the way names are written in the UI language
  const nameSort = locale === 'hu' ? 'familyName,givenName' : 'givenName,familyName';
  const descending = nameSort.split(',').map((f) => `-${f}`).join(',');
  const sortedByName = state.sort === nameSort;
  const sortedByNameDesc = state.sort === descending;

  return (
    <Stack>
      <ListHeader title={t('persons.title')} total={list.data && t('companies.total', { count: total ?? persons.length })} totalTestId="persons-total">
        <Group>
          <ExportMenu exporting={exporting} onDownload={download} testIdPrefix="persons" />
          <Button onClick={() => setCreating(true)} data-testid="person-new">
            {t('persons.new')}
          </Button>
        </Group>
      </ListHeader>
      <Group align="flex-end">
        <ListSearch value={search} onChange={setSearch} placeholder={t('persons.searchPlaceholder')} w={280} testId="persons-search" />
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
        selected={selection.selected}
        onClear={() => selection.setSelected(new Set())}
        onReassign={(ids, ownerId) => reassign.mutateAsync({ ids, ownerId })}
        testIdPrefix="persons"
      />
      {list.error && <ProblemAlert error={list.error} />}
      <DataTable<Person>
        striped
        highlightOnHover
        testId="persons-table"
        scroll={{ minWidth: 700 }}
        rows={persons}
        rowKey={(p) => p.id}
        rowProps={() => ({ 'data-testid': 'person-row' })}
        columns={[
          mayAssign && selectColumn,
          {
            key: 'name',
            header: (
              <UnstyledButton
                fw={700}
                fz="sm"
                onClick={() => update({ sort: sortedByName ? descending : nameSort })}
                aria-label={t('list.sortBy', { column: t('person.field.name') })}
                data-testid="persons-sort-name"
              >
                {t('person.field.name')} {sortedByName ? '▲' : sortedByNameDesc ? '▼' : '↕'}
              </UnstyledButton>
            ),
            cell: (p) => <Link href={`/persons/${p.id}`}>{name(p)}</Link>,
          },
          { key: 'position', header: t('person.field.position'), cell: (p) => currentWork(p)?.role ?? p.position },
          {
            key: 'company',
            header: t('person.field.company'),
            cell: (p) => {
              const work = currentWork(p);
              return work?.companyVisible ? <Link href={`/companies/${work.companyId}`}>{work.companyName}</Link> : work?.companyName;
            },
          },
          { key: 'email', header: t('person.field.email'), cell: (p) => p.emails[0]?.address },
          { key: 'phone', header: t('person.field.phone'), cell: (p) => p.phones[0]?.number },
          { key: 'owner', header: t('person.field.owner'), cell: (p) => ownerName(p.ownerId) },
        ]}
      />
      <ListFooter list={list} count={persons.length} emptyText={t('persons.empty')} testIdPrefix="persons" />
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

/** Where the person works now: the primary current employment, else any current one. */
const currentWork = (p: Person) => p.employments.find((e) => e.current && e.primary) ?? p.employments.find((e) => e.current);
