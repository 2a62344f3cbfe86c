'use client';

import { Badge, Button, Center, Checkbox, Group, Menu, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useState, type ReactNode } from 'react';
import { saveFile, type DownloadedFile } from '@/api/client';
import { ReassignModal } from '@/features/owners/components/reassign-modal';
import { useI18n } from '@/i18n/i18n-provider';
import type { Column } from '@/shell/data-table';
import { notifyFailure } from '@/shell/notify';
import { PanelLoader } from '@/shell/query-view';

export type ExportFormat = 'csv' | 'xlsx';

/** The search box's text: it answers every keystroke; `onSearch` (the URL, so the query) follows once typing pauses. */
export function useDebouncedSearch(q: string, onSearch: (q: string) => void) {
  const [search, setSearch] = useState(q);
  const [debounced] = useDebouncedValue(search, 300);
  useEffect(() => {
    if (debounced.trim() !== q) onSearch(debounced.trim());
  }, [debounced, q, onSearch]);
  return [search, setSearch] as const;
}

/** The rows ticked in a list. */
export function useSelection() {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return { selected, setSelected, toggle };
}

/** Downloads the list as a file; a failure is told in a notification. */
export function useExport(load: (format: ExportFormat) => Promise<DownloadedFile>) {
  const { t } = useI18n();
  const [exporting, setExporting] = useState(false);
  const download = async (format: ExportFormat) => {
    setExporting(true);
    try {
      saveFile(await load(format));
    } catch (error) {
      notifyFailure(t('companies.exportFailed'), error);
    } finally {
      setExporting(false);
    }
  };
  return { exporting, download };
}

/** The export button of a list, with its menu of formats. */
export function ExportMenu({
  exporting,
  onDownload,
  testIdPrefix,
  itemTestIds = false,
}: {
  exporting: boolean;
  onDownload: (format: ExportFormat) => Promise<void>;
  testIdPrefix: string;
  /** Whether the menu items carry data-testids too. */
  itemTestIds?: boolean;
}) {
  const { t } = useI18n();
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" loading={exporting} data-testid={`${testIdPrefix}-export`}>
          {t('companies.export')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => void onDownload('xlsx')} data-testid={itemTestIds ? `${testIdPrefix}-export-xlsx` : undefined}>
          {t('companies.exportXlsx')}
        </Menu.Item>
        <Menu.Item onClick={() => void onDownload('csv')} data-testid={itemTestIds ? `${testIdPrefix}-export-csv` : undefined}>
          {t('companies.exportCsv')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** The bar over a list's selected rows (to hand them to another owner) and the reassign dialog it opens. */
export function BulkReassign({
  enabled,
  selected,
  onClear,
  onReassign,
  testIdPrefix,
  barTestId,
}: {
  enabled?: boolean;
  selected: Set<string>;
  onClear: () => void;
  onReassign: (ids: string[], ownerId: string) => Promise<{ updated: number; notFound: string[]; unchanged: string[] }>;
  testIdPrefix: string;
  barTestId?: string;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      {enabled && selected.size > 0 && (
        <Group data-testid={barTestId}>
          <Badge size="lg" variant="light">
            {t('list.selected', { count: selected.size })}
          </Badge>
          <Button size="xs" onClick={() => setOpen(true)} data-testid={`${testIdPrefix}-reassign`}>
            {t('owners.reassign.button')}
          </Button>
          <Button size="xs" variant="subtle" onClick={onClear}>
            {t('list.clearSelection')}
          </Button>
        </Group>
      )}
      <ReassignModal
        opened={open}
        count={selected.size}
        onClose={() => setOpen(false)}
        onReassign={(ownerId) => onReassign([...selected], ownerId)}
        onDone={(r) => {
          onClear();
          notifications.show({
            color: r.notFound ? 'yellow' : 'green',
            message: t('owners.reassign.done', { updated: r.updated, unchanged: r.unchanged, notFound: r.notFound }),
          });
        }}
      />
    </>
  );
}

/** What a list's footer reads of its infinite query. */
export interface PagedList {
  isPending: boolean;
  isSuccess: boolean;
  hasNextPage?: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** The rows of every page loaded so far, and the total the first page counted (when it did). */
export function pagedItems<T>(data: { pages: { items: T[]; total?: number }[] } | undefined): { items: T[]; total: number | undefined } {
  return { items: data?.pages.flatMap((p) => p.items) ?? [], total: data?.pages[0]?.total };
}

/** Below a list: a loader while loading, the empty note, and the button for the next page. */
export function ListFooter({
  list,
  count,
  loading = list.isPending,
  emptyText,
  testIdPrefix,
}: {
  list: PagedList;
  /** How many rows are shown. */
  count: number;
  loading?: boolean;
  emptyText: string;
  testIdPrefix: string;
}) {
  const { t } = useI18n();
  return (
    <>
      {loading && <PanelLoader flush />}
      {list.isSuccess && count === 0 && (
        <Text c="dimmed" ta="center" data-testid={`${testIdPrefix}-empty`}>
          {emptyText}
        </Text>
      )}
      {list.hasNextPage && (
        <Center>
          <Button variant="light" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid={`${testIdPrefix}-load-more`}>
            {t('companies.loadMore')}
          </Button>
        </Center>
      )}
    </>
  );
}

/** The title row of a list page: the title, the count of records (once loaded) and the page's buttons. */
export function ListHeader({ title, total, totalTestId, children }: { title: string; total?: string; totalTestId: string; children: ReactNode }) {
  return (
    <Group justify="space-between">
      <Group align="baseline">
        <Title order={2}>{title}</Title>
        {total !== undefined && (
          <Text c="dimmed" data-testid={totalTestId}>
            {total}
          </Text>
        )}
      </Group>
      {children}
    </Group>
  );
}

/** The search box of a list. */
export function ListSearch({ value, onChange, placeholder, w, testId }: { value: string; onChange: (q: string) => void; placeholder: string; w: number; testId: string }) {
  const { t } = useI18n();
  return (
    <TextInput
      label={t('companies.search')}
      placeholder={placeholder}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      type="search"
      w={w}
      data-testid={testId}
    />
  );
}

/** The first column of a list whose rows can be ticked: "select all" over it, a box on each row. */
export function useSelectionColumn<T extends { id: string }>({
  rows,
  selection: { selected, setSelected, toggle },
  rowLabel,
  showPartial = false,
  testIds,
}: {
  rows: T[];
  selection: ReturnType<typeof useSelection>;
  /** The row's name, for its box's aria-label. */
  rowLabel: (row: T) => string;
  /** Whether "select all" shows that only some rows are ticked. */
  showPartial?: boolean;
  /** The boxes' data-testids, when they carry them. */
  testIds?: { all: string; row: string };
}): Column<T> {
  const { t } = useI18n();
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someSelected = rows.some((r) => selected.has(r.id));
  return {
    key: 'select',
    th: { w: 40 },
    header: (
      <Checkbox
        aria-label={t('list.selectAll')}
        checked={allSelected}
        indeterminate={showPartial ? someSelected && !allSelected : undefined}
        onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
        data-testid={testIds?.all}
      />
    ),
    cell: (r) => (
      <Checkbox
        aria-label={t('list.select', { name: rowLabel(r) })}
        checked={selected.has(r.id)}
        onChange={() => toggle(r.id)}
        data-testid={testIds?.row}
      />
    ),
  };
}
