'use client';

import { Button, Paper, Stack, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { useI18n } from '@/i18n/i18n-provider';

interface Props {
  onFile: (file: File) => void;
  disabled?: boolean;
}

/** Drop a CSV or XLSX file here, or pick one. */
export function FileDrop({ onFile, disabled }: Props) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  return (
    <Paper
      withBorder
      p="xl"
      radius="md"
      style={{ borderStyle: 'dashed', borderWidth: 2, background: over ? 'var(--mantine-color-blue-light)' : undefined, textAlign: 'center' }}
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const file = e.dataTransfer.files[0];
        if (file && !disabled) onFile(file);
      }}
      data-testid="import-dropzone"
    >
      <Stack align="center" gap="xs">
        <Text fw={600}>{t('import.drop')}</Text>
        <Text size="sm" c="dimmed">
          {t('import.dropHelp')}
        </Text>
        <Button variant="light" onClick={() => input.current?.click()} disabled={disabled}>
          {t('import.choose')}
        </Button>
        <input
          ref={input}
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          style={{ display: 'none' }}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = ''; // the same (corrected) file can be chosen again
            if (file) onFile(file);
          }}
          data-testid="import-file"
        />
      </Stack>
    </Paper>
  );
}
