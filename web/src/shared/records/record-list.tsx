'use client';

import { Badge, Button, Center, Group, Loader, Menu, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { saveFile, type DownloadedFile } from '@/api/client';
import { ReassignModal } from '@/features/owners/components/reassign-modal';
import { useI18n } from '@/i18n/i18n-provider';

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
      notifications.show({ color: 'red', title: t('companies.exportFailed'), message: error instanceof Error ? error.message : String(error) });
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

/** Below a list: a loader while loading, the empty note, and the button for the next page. */
export function ListFooter({
  loading,
  empty,
  emptyText,
  testIdPrefix,
  hasNextPage,
  fetchingNextPage,
  onLoadMore,
}: {
  loading: boolean;
  empty: boolean;
  emptyText: string;
  testIdPrefix: string;
  hasNextPage?: boolean;
  fetchingNextPage: boolean;
  onLoadMore: () => void;
}) {
  const { t } = useI18n();
  return (
    <>
      {loading && (
        <Center>
          <Loader size="sm" />
        </Center>
      )}
      {empty && (
        <Text c="dimmed" ta="center" data-testid={`${testIdPrefix}-empty`}>
          {emptyText}
        </Text>
      )}
      {hasNextPage && (
        <Center>
          <Button variant="light" onClick={onLoadMore} loading={fetchingNextPage} data-testid={`${testIdPrefix}-load-more`}>
            {t('companies.loadMore')}
          </Button>
        </Center>
      )}
    </>
  );
}
