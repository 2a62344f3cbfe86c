'use client';

import { Button, Card, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useI18n } from '@/i18n/i18n-provider';
import type { ImportReport, OnDuplicate } from '../api/imports.api';

interface Props {
  report: ImportReport;
  onDuplicate: OnDuplicate;
  onDuplicateChange: (choice: OnDuplicate) => void;
  onReupload: () => void;
  onCommit: () => void;
  committing: boolean;
}

/** Step 4, a checked import: what will be imported, what happens to duplicates, commit or upload a corrected file. */
export function CommitStep({ report: r, onDuplicate, onDuplicateChange, onReupload, onCommit, committing }: Props) {
  const { t } = useI18n();
  return (
    <Card withBorder>
      <Stack>
        <Text>{r.errorCount > 0 ? t('import.commitWithErrors', { valid: r.valid, errors: r.errorCount }) : t('import.commitReady', { valid: r.valid })}</Text>
        {r.duplicateCount > 0 && (
          <Group>
            <Text size="sm">{t('import.onDuplicate')}</Text>
            <SegmentedControl
              value={onDuplicate}
              onChange={(v) => onDuplicateChange(v as OnDuplicate)}
              data={(['skip', 'update', 'create'] as const).map((o) => ({ value: o, label: t(`import.onDuplicate.${o}`) }))}
              data-testid="import-on-duplicate"
            />
          </Group>
        )}
        <Group>
          <Button variant="default" onClick={onReupload} data-testid="import-reupload">
            {t('import.reupload')}
          </Button>
          <Button onClick={onCommit} loading={committing} disabled={r.valid === 0} data-testid="import-commit">
            {t('import.commit', { count: r.valid })}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
