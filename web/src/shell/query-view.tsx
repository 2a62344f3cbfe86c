'use client';

import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { ProblemAlert } from '@/api/problem-alert';

/** A small loader in a panel or tab while its data loads (`flush`: without the panel's padding). */
export function PanelLoader({ flush = false }: { flush?: boolean }) {
  return (
    <Center p={flush ? undefined : 'md'}>
      <Loader size="sm" />
    </Center>
  );
}

/** A panel's query: a loader while it loads, the problem when it failed, else its data rendered. */
export function QueryView<T>({
  query,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <PanelLoader />;
  if (query.error) return <ProblemAlert error={query.error} />;
  return children(query.data as T);
}
