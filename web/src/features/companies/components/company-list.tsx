'use client';

import { Button, Checkbox, Group, Indicator, Popover, ScrollArea, Select, Stack, Switch, UnstyledButton } from '@mantine/core';
import { useDisclosure, useLocalStorage } from '@mantine/hooks';
import { COMPANY_KINDS, COMPANY_STATUSES, type CompanyKind, type CompanyStatus, type Filter } from '@kapocs/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useApi } from '@/api/api-provider';
import { ProblemAlert } from '@/api/problem-alert';
import { useCustomFields } from '@/features/custom-fields/hooks/use-custom-fields';
import { useMayAssignOwners } from '@/features/directory/hooks/use-directory';
import { FilterBuilder } from '@/features/list-filters/components/filter-builder';
import { allOf, stateToFilter } from '@/features/list-filters/components/filter-rows';
import { useI18n } from '@/i18n/i18n-provider';
import { DataTable, type Column } from '@/shell/data-table';
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
import { exportCompanies, type Company, type CompanyListParams } from '../api/companies.api';
import { useCompanyList, useReassignCompanies } from '../hooks/use-companies';
import { useCompanyListState } from '../hooks/use-company-list-state';
import { DEFAULT_COMPANY_COLUMNS, useCompanyColumns, useCompanyFilterFields, type CompanyColumn } from './company-columns';
import { CompanyCreateModal } from './company-create-modal';

const COLUMNS_KEY = 'kapocs.companies.columns';

function SortHeader({ column, sort, onSort }: { column: CompanyColumn; sort: string; onSort: (sort: string) => void }) {
  const { t } = useI18n();
  if (!column.sort) return <>{column.label}</>;
  const field = column.sort;
  const direction = sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : undefined;
  return (
    <UnstyledButton
      onClick={() => onSort(sort === field ? `-${field}` : field)}
      aria-label={t('list.sortBy', { column: column.label })}
      data-testid={`companies-sort-${column.id}`}
      fw={700}
      fz="sm"
    >
      {column.label} {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}
    </UnstyledButton>
  );
}

export function CompanyList() {
  const { t } = useI18n();
  const api = useApi();
  const router = useRouter();
  const mayAssign = useMayAssignOwners();
  const defs = useCustomFields('company');

  const [state, update] = useCompanyListState();
  const { q, kind, status, mineOnly, sort, advanced } = state;
  const [search, setSearch] = useDebouncedSearch(q, useCallback((next: string) => update({ q: next }), [update]));
  const [formOpen, setFormOpen] = useState(false);
  const [filterOpen, { toggle: toggleFilter, close: closeFilter }] = useDisclosure(advanced.rows.length > 0);
  const selection = useSelection();
  const { setSelected } = selection;

  const columns = useCompanyColumns(defs.data);
  const filterFields = useCompanyFilterFields(defs.data);
  const [visibleIds, setVisibleIds] = useLocalStorage<string[]>({ key: COLUMNS_KEY, defaultValue: DEFAULT_COMPANY_COLUMNS });
  const shown = columns.filter((c) => visibleIds.includes(c.id));

  const filter: Filter | undefined = useMemo(
    () =>
      allOf(
        kind ? { field: 'kind', op: 'eq', value: kind } : undefined,
        status ? { field: 'status', op: 'eq', value: status } : undefined,
        stateToFilter(advanced, filterFields),
      ),
    [kind, status, advanced, filterFields],
  );
  const params: CompanyListParams = { q, filter, sort, mineOnly };
  // Custom-field conditions need the definitions to be read first.
  const list = useCompanyList(params, !defs.isPending);
  const reassign = useReassignCompanies();

  const { items: companies, total } = pagedItems(list.data);
  const selectColumn = useSelectionColumn({
    rows: companies,
    selection,
    rowLabel: (c) => c.name,
    showPartial: true,
    testIds: { all: 'companies-select-all', row: 'company-row-select' },
  });
  const sortColumn = (column: CompanyColumn): Column<Company> => ({
    key: column.id,
    header: <SortHeader column={column} sort={sort} onSort={(s) => update({ sort: s })} />,
    cell: column.render,
  });
  const nameColumn: Column<Company> = {
    ...sortColumn({ id: 'name', label: t('company.field.name'), sort: 'name', render: (c) => <Link href={`/companies/${c.id}`}>{c.name}</Link> }),
    th: { 'aria-sort': sort === 'name' ? 'ascending' : sort === '-name' ? 'descending' : undefined },
  };

  // a new search starts a new selection
  useEffect(() => setSelected(new Set()), [q, kind, status, mineOnly, advanced]);

  const { exporting, download } = useExport((format) => exportCompanies(api, params, format));

  return (
    <Stack>
      <ListHeader
        title={t('companies.title')}
        total={list.data && (total !== undefined ? t('companies.total', { count: total }) : t('companies.shown', { count: companies.length }))}
        totalTestId="companies-total"
      >
        <Group>
          <ExportMenu exporting={exporting} onDownload={download} testIdPrefix="companies" itemTestIds />
          <Button onClick={() => setFormOpen(true)} data-testid="company-new">
            {t('companies.new')}
          </Button>
        </Group>
      </ListHeader>

      <Group align="flex-end">
        <ListSearch value={search} onChange={setSearch} placeholder={t('companies.searchPlaceholder')} w={260} testId="companies-search" />
        <Select
          label={t('companies.kindFilter')}
          placeholder={t('companies.kindAll')}
          data={COMPANY_KINDS.map((k) => ({ value: k, label: t(`company.kind.${k}`) }))}
          value={kind}
          onChange={(v) => update({ kind: v as CompanyKind | null })}
          clearable
          w={200}
          data-testid="companies-kind-filter"
        />
        <Select
          label={t('companies.statusFilter')}
          placeholder={t('companies.statusAll')}
          data={COMPANY_STATUSES.map((s) => ({ value: s, label: t(`company.status.${s}`) }))}
          value={status}
          onChange={(v) => update({ status: v as CompanyStatus | null })}
          clearable
          w={160}
          data-testid="companies-status-filter"
        />
        <Switch
          label={t('companies.mineOnly')}
          checked={mineOnly}
          onChange={(e) => update({ mineOnly: e.currentTarget.checked })}
          mb={8}
          data-testid="companies-mine-only"
        />
        <Indicator label={advanced.rows.length} size={16} disabled={advanced.rows.length === 0}>
          <Button variant={filterOpen ? 'light' : 'default'} onClick={toggleFilter} data-testid="companies-filter-toggle">
            {t('filter.button')}
          </Button>
        </Indicator>
        <Popover position="bottom-end" withArrow shadow="md">
          <Popover.Target>
            <Button variant="default" data-testid="companies-columns">
              {t('list.columns')}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <ScrollArea.Autosize mah={360}>
              <Stack gap={6} data-testid="companies-columns-menu">
                {columns.map((c) => (
                  <Checkbox
                    key={c.id}
                    label={c.label}
                    checked={visibleIds.includes(c.id)}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      setVisibleIds((ids) => (on ? [...ids.filter((i) => i !== c.id), c.id] : ids.filter((i) => i !== c.id)));
                    }}
                    data-testid={`companies-column-${c.id}`}
                  />
                ))}
                <Button size="xs" variant="subtle" onClick={() => setVisibleIds(DEFAULT_COMPANY_COLUMNS)}>
                  {t('list.columnsReset')}
                </Button>
              </Stack>
            </ScrollArea.Autosize>
          </Popover.Dropdown>
        </Popover>
      </Group>

      {filterOpen && (
        <FilterBuilder fields={filterFields} value={advanced} onApply={(next) => update({ advanced: next })} onClose={closeFilter} />
      )}

      <BulkReassign
        enabled={mayAssign}
        selected={selection.selected}
        onClear={() => setSelected(new Set())}
        onReassign={(ids, ownerId) => reassign.mutateAsync({ ids, ownerId })}
        testIdPrefix="companies"
        barTestId="companies-bulk-bar"
      />

      {list.error && <ProblemAlert error={list.error} />}
      {defs.error && <ProblemAlert error={defs.error} title={t('customField.loadFailed')} />}

      <DataTable<Company>
        striped
        highlightOnHover
        testId="companies-table"
        scroll={{ minWidth: 800 }}
        rows={companies}
        rowKey={(c) => c.id}
        rowProps={() => ({ 'data-testid': 'company-row' })}
        columns={[mayAssign && selectColumn, nameColumn, ...shown.map(sortColumn)]}
      />

      <ListFooter list={list} count={companies.length} loading={list.isPending || defs.isPending} emptyText={t('companies.empty')} testIdPrefix="companies" />

      <CompanyCreateModal opened={formOpen} onClose={() => setFormOpen(false)} onCreated={(c) => router.prefetch(`/companies/${c.id}`)} />
    </Stack>
  );
}
