'use client';

import { Table, type TableProps, type TableTdProps, type TableThProps, type TableTrProps } from '@mantine/core';
import type { ReactNode } from 'react';

type TestIdProps = { 'data-testid'?: string; [data: `data-${string}`]: string | undefined };

/** One column of a table: its header and what each row shows in it. */
export interface Column<T> {
  key: string;
  header?: ReactNode;
  /** Props of the header cell (e.g. a width, `aria-sort`). */
  th?: TableThProps & TestIdProps;
  cell: (row: T, index: number) => ReactNode;
  /** Props of each row's cell (e.g. a data-testid, a weight). */
  td?: (row: T) => TableTdProps & TestIdProps;
}

interface Props<T> extends Omit<TableProps, 'data' | 'children'> {
  /** Columns; `false` (or null) for a column that is not shown here. */
  columns: readonly (Column<T> | false | null | undefined)[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string | number;
  rowProps?: (row: T) => TableTrProps & TestIdProps;
  testId?: string;
  /** Without a header row (a short list under its own heading). */
  noHeader?: boolean;
  /** Scrolls sideways below this width (and down beyond `maxHeight`). */
  scroll?: { minWidth: number; maxHeight?: number };
}

/** A table of records by its columns: a header row and a row per record. */
export function DataTable<T>({ columns, rows, rowKey, rowProps, testId, noHeader, scroll, ...table }: Props<T>) {
  const shown = columns.filter((c): c is Column<T> => !!c);
  const body = (
    <Table {...table} data-testid={testId}>
      {!noHeader && (
        <Table.Thead>
          <Table.Tr>
            {shown.map((c) => (
              <Table.Th key={c.key} {...c.th}>
                {c.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
      )}
      <Table.Tbody>
        {rows.map((row, i) => (
          <Table.Tr key={rowKey(row, i)} {...rowProps?.(row)}>
            {shown.map((c) => (
              <Table.Td key={c.key} {...c.td?.(row)}>
                {c.cell(row, i)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  if (!scroll) return body;
  return (
    <Table.ScrollContainer minWidth={scroll.minWidth} mah={scroll.maxHeight}>
      {body}
    </Table.ScrollContainer>
  );
}
