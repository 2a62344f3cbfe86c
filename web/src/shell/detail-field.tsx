'use client';

import { Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useI18n } from '@/i18n/i18n-provider';

/** One labelled value of a detail view; an empty value shows a dash. */
export function DetailField({ label, children, testId }: { label: ReactNode; children?: ReactNode; testId?: string }) {
  const { t } = useI18n();
  const empty = children === undefined || children === null || children === '' || (Array.isArray(children) && children.length === 0);
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text data-testid={testId} component="div">
        {empty ? t('detail.none') : children}
      </Text>
    </div>
  );
}
