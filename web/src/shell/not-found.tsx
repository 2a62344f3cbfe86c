'use client';

import { Anchor, Stack, Title } from '@mantine/core';
import Link from 'next/link';
import { useI18n } from '@/i18n/i18n-provider';

export function NotFound() {
  const { t } = useI18n();
  return (
    <Stack data-testid="not-found">
      <Title order={2}>{t('notFound.title')}</Title>
      <Anchor component={Link} href="/companies">
        {t('notFound.back')}
      </Anchor>
    </Stack>
  );
}
