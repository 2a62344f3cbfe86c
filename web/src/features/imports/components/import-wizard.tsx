'use client';

import { Alert, Button, Group, Stack, Stepper, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useApi } from '@/api/api-provider';
import { saveFile } from '@/api/client';
import { ProblemAlert } from '@/api/problem-alert';
import { useFormat } from '@/i18n/format';
import type { MessageKey } from '@/i18n/hu';
import { useI18n } from '@/i18n/i18n-provider';
import { downloadTemplate, RUNNING, type ImportEntity, type ImportReport, type OnDuplicate } from '../api/imports.api';
import { useImport, useImportStep, useUploadImport } from '../hooks/use-imports';
import { CommitStep } from './commit-step';
import { DryRunCounts, DryRunReport } from './dry-run-report';
import { ImportProgress } from './import-progress';
import { ImportResult, ImportResultActions } from './import-result';
import { UploadStep } from './upload-step';

function stepOf(report: ImportReport | undefined, hasId: boolean): number {
  if (!hasId || !report) return hasId ? 2 : 1;
  switch (report.status) {
    case 'validating':
    case 'validated':
      return 2;
    case 'committing':
    case 'committed':
      return 3;
    case 'undoing':
    case 'undone':
      return 4;
    default:
      return 2;
  }
}

/**
 * Admin → Import (P6): entity and template, upload, dry run, commit, result, undo. Holds the state (the
 * import's id and entity in the URL, so a reload resumes it) and shows the step it is at.
 */
export function ImportWizard() {
  const { t } = useI18n();
  const fmt = useFormat();
  const api = useApi();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const id = params.get('id');
  const [entity, setEntity] = useState<ImportEntity>((params.get('entity') as ImportEntity) || 'company');
  const [onDuplicate, setOnDuplicate] = useState<OnDuplicate>('skip');
  const [reupload, setReupload] = useState(false);
  const [templateError, setTemplateError] = useState<unknown>(null);
  const upload = useUploadImport();
  const report = useImport(id);
  const step = useImportStep(id);
  const r = report.data;
  const running = !!id && (!r || RUNNING.includes(r.status));

  const go = (next: { id?: string | null; entity?: ImportEntity }) => {
    const search = new URLSearchParams();
    search.set('entity', next.entity ?? entity);
    if (next.id) search.set('id', next.id);
    router.replace(`${pathname}?${search.toString()}`, { scroll: false });
  };

  // finished commits and undos change the lists
  const finished = r?.status === 'committed' || r?.status === 'undone' ? r.status : null;
  useEffect(() => {
    if (!finished) return;
    void queryClient.invalidateQueries({ queryKey: ['companies'] });
    void queryClient.invalidateQueries({ queryKey: ['persons'] });
  }, [finished, queryClient]);
  useEffect(() => {
    if (r?.entity) setEntity(r.entity);
  }, [r?.entity]);

  const onEntity = (next: ImportEntity) => {
    setEntity(next);
    if (!reupload) go({ entity: next, id: null });
  };
  const onFile = async (file: File) => {
    try {
      const created = await upload.mutateAsync({ entity, file });
      setReupload(false);
      go({ id: created.id });
    } catch {
      // shown by the upload step
    }
  };
  const template = async (format: 'csv' | 'xlsx') => {
    setTemplateError(null);
    try {
      saveFile(await downloadTemplate(api, entity, format));
    } catch (e) {
      setTemplateError(e);
    }
  };
  const startOver = () => {
    setReupload(false);
    upload.reset();
    step.reset();
    go({ id: null });
  };

  const active = reupload ? 1 : stepOf(r, !!id);

  return (
    <Stack data-testid="import-wizard">
      <Group justify="space-between">
        <Title order={2}>{t('nav.import')}</Title>
        {id && (
          <Button variant="default" onClick={startOver} data-testid="import-start-over">
            {t('import.startOver')}
          </Button>
        )}
      </Group>
      <Stepper active={active} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label={t('import.step.entity')} />
        <Stepper.Step label={t('import.step.upload')} />
        <Stepper.Step label={t('import.step.dryRun')} />
        <Stepper.Step label={t('import.step.commit')} />
        <Stepper.Step label={t('import.step.undo')} />
      </Stepper>

      {(!id || reupload) && (
        <UploadStep
          entity={entity}
          onEntity={onEntity}
          reupload={reupload}
          onCancelReupload={() => setReupload(false)}
          onTemplate={(format) => void template(format)}
          templateError={templateError}
          onFile={(f) => void onFile(f)}
          uploading={upload.isPending}
          uploadError={upload.error}
        />
      )}

      {id && !reupload && (
        <Stack>
          {report.error && <ProblemAlert error={report.error} />}
          {r && (
            <Text size="sm" c="dimmed" data-testid="import-file-name">
              {t('import.fileInfo', { file: r.fileName ?? '', entity: t(`customField.entity.${r.entity}` as MessageKey), at: fmt.dateTime(r.createdAt) })}
            </Text>
          )}
          {running && <ImportProgress report={r} />}
          {r?.status === 'failed' && (
            <Alert color="red" title={t('import.status.failed')} data-testid="import-failed">
              {r.failure}
            </Alert>
          )}
          {r && !running && r.status !== 'failed' && (
            <>
              <DryRunCounts report={r} />
              <ImportResult report={r} />
              <DryRunReport report={r} />
              <ProblemAlert error={step.error} />
              {r.status === 'validated' && (
                <CommitStep
                  report={r}
                  onDuplicate={onDuplicate}
                  onDuplicateChange={setOnDuplicate}
                  onReupload={() => setReupload(true)}
                  onCommit={() => step.mutate({ kind: 'commit', onDuplicate })}
                  committing={step.isPending}
                />
              )}
              {r.status === 'committed' && <ImportResultActions report={r} onUndo={() => step.mutate({ kind: 'undo' })} undoing={step.isPending} />}
            </>
          )}
        </Stack>
      )}
    </Stack>
  );
}
