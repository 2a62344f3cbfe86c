'use client';

import { Alert, Button, Card, Group, Loader, SegmentedControl, Stack, Text } from '@mantine/core';
import { ProblemAlert } from '@/api/problem-alert';
import type { MessageKey } from '@/i18n/hu';
import { useI18n } from '@/i18n/i18n-provider';
import { IMPORT_ENTITIES, type ImportEntity } from '../api/imports.api';
import { FileDrop } from './file-drop';

interface Props {
  entity: ImportEntity;
  onEntity: (entity: ImportEntity) => void;
  /** Uploading a corrected file for the import on screen: the entity stays, and it can be cancelled. */
  reupload: boolean;
  onCancelReupload: () => void;
  onTemplate: (format: 'csv' | 'xlsx') => void;
  templateError: unknown;
  onFile: (file: File) => void;
  uploading: boolean;
  uploadError: unknown;
}

/** Steps 1 and 2: what is imported, its template, and the file. */
export function UploadStep({ entity, onEntity, reupload, onCancelReupload, onTemplate, templateError, onFile, uploading, uploadError }: Props) {
  const { t } = useI18n();
  return (
    <Card withBorder>
      <Stack>
        <Group align="flex-end" justify="space-between">
          <Stack gap={4}>
            <Text fw={600}>{t('import.entity')}</Text>
            <SegmentedControl
              value={entity}
              onChange={(v) => onEntity(v as ImportEntity)}
              disabled={reupload}
              data={IMPORT_ENTITIES.map((e) => ({ value: e, label: t(`customField.entity.${e}` as MessageKey) }))}
              data-testid="import-entity"
            />
          </Stack>
          <Group>
            <Text size="sm">{t('import.template')}</Text>
            <Button variant="default" size="xs" onClick={() => onTemplate('xlsx')} data-testid="import-template-xlsx">
              XLSX
            </Button>
            <Button variant="default" size="xs" onClick={() => onTemplate('csv')} data-testid="import-template-csv">
              CSV
            </Button>
          </Group>
        </Group>
        <ProblemAlert error={templateError} title={t('import.templateFailed')} />
        {reupload && <Alert color="blue">{t('import.reuploadHelp')}</Alert>}
        <FileDrop onFile={onFile} disabled={uploading} />
        {uploading && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">{t('import.uploading')}</Text>
          </Group>
        )}
        <ProblemAlert error={uploadError} title={t('import.uploadFailed')} />
        {reupload && (
          <Group>
            <Button variant="subtle" onClick={onCancelReupload}>
              {t('app.cancel')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
