'use client';

import { Group, Loader, Progress, Stack, Text } from '@mantine/core';
import type { MessageKey } from '@/i18n/hu';
import { useI18n } from '@/i18n/i18n-provider';
import type { ImportReport } from '../api/imports.api';

/** While the server checks, commits or undoes: the status and how many rows it has done. */
export function ImportProgress({ report }: { report: ImportReport | undefined }) {
  const { t } = useI18n();
  const total = report?.rows ?? 0;
  const processed = report?.processed ?? 0;
  const label = report ? t(`import.status.${report.status}` as MessageKey) : t('import.status.validating');
  return (
    <Stack gap="xs" data-testid="import-progress">
      <Group gap="xs">
        <Loader size="xs" />
        <Text>{label}</Text>
        {report && report.status !== 'validating' && total > 0 && (
          <Text c="dimmed" size="sm">
            {t('import.progress', { processed, rows: total })}
          </Text>
        )}
        {report?.status === 'validating' && processed > 0 && (
          <Text c="dimmed" size="sm">
            {t('import.readRows', { count: processed })}
          </Text>
        )}
      </Group>
      <Progress value={report && report.status !== 'validating' && total > 0 ? (100 * processed) / total : 100} animated striped />
    </Stack>
  );
}
