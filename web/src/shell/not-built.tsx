'use client';

import { Alert, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '@/i18n/i18n-provider';
import { findNavItem, navLabel, type NavItem } from './nav';

/** Placeholder for an area of the product that has no page yet. */
export function NotBuilt({ area }: { area: NavItem['key'] }) {
  const { t } = useI18n();
  const item = findNavItem(area);
  return (
    <Stack data-testid="not-built">
      <Title order={2}>{t(navLabel(item))}</Title>
      <Alert color="yellow" title={t('notBuilt.title')}>
        <Text>{t('notBuilt.body', { area: t(navLabel(item)) })}</Text>
        {item.features.length > 0 && (
          <Text size="sm" c="dimmed" mt="xs">
            {t('notBuilt.features', { ids: item.features.join(', ') })}
          </Text>
        )}
      </Alert>
    </Stack>
  );
}
