'use client';

import { Stack, Text } from '@mantine/core';
import type { DuplicateEntity, DuplicateSide } from '@kapocs/contracts';
import { ProblemAlert } from '@/api/problem-alert';
import { useI18n } from '@/i18n/i18n-provider';
import { DataTable, type Column } from '@/shell/data-table';
import { ListFooter, pagedItems, type PagedList } from '@/shared/records/record-list';
import { PairSide } from './pair-side';

interface Props<T> {
  entity: DuplicateEntity;
  help: string;
  list: PagedList & { error: Error | null; data?: { pages: { items: T[] }[] } };
  rowKey: (pair: T) => string;
  /** The columns after the pair's two records. */
  columns: Column<T>[];
  testIdPrefix: string;
  rowTestId: string;
  emptyText: string;
}

/** A page of pairs of records (likely duplicates, or dismissed ones): both records, then what each list adds. */
export function PairsTable<T extends { a: DuplicateSide; b: DuplicateSide }>({ entity, help, list, rowKey, columns, testIdPrefix, rowTestId, emptyText }: Props<T>) {
  const { t } = useI18n();
  const { items } = pagedItems(list.data);
  return (
    <Stack>
      <Text c="dimmed" size="sm">
        {help}
      </Text>
      {list.error && <ProblemAlert error={list.error} />}
      <DataTable<T>
        striped
        testId={`${testIdPrefix}-table`}
        rows={items}
        rowKey={rowKey}
        rowProps={() => ({ 'data-testid': rowTestId })}
        columns={[
          { key: 'a', header: t('duplicates.recordA'), cell: (p) => <PairSide entity={entity} side={p.a} /> },
          { key: 'b', header: t('duplicates.recordB'), cell: (p) => <PairSide entity={entity} side={p.b} /> },
          ...columns,
        ]}
      />
      <ListFooter list={list} count={items.length} emptyText={emptyText} testIdPrefix={testIdPrefix} />
    </Stack>
  );
}
