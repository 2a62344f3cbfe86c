'use client';

import { Alert, Badge, Button, Card, Group, Loader, Progress, SegmentedControl, SimpleGrid, Stack, Stepper, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useApi } from '@/api/api-provider';
import { saveFile } from '@/api/client';
import { ProblemAlert } from '@/api/problem-alert';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import { downloadTemplate, IMPORT_ENTITIES, RUNNING, type ImportEntity, type ImportReport, type OnDuplicate } from '../api/imports.api';
import { useImport, useImportStep, useUploadImport } from '../hooks/use-imports';
import { FileDrop } from './file-drop';

const REASONS = ['taxNumber', 'registrationNumber', 'name', 'email'];
const KNOWN_COLUMNS = new Set(['name', 'legalForm', 'kind', 'status', 'taxNumber', 'registrationNumber', 'country', 'industry', 'size', 'website', 'email', 'phone', 'postalCode', 'city', 'street']);

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

function Stat({ label, value, testId, color }: { label: string; value: number | string | undefined; testId: string; color?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz="xl" fw={700} c={color} data-testid={testId}>
        {value ?? '—'}
      </Text>
    </Card>
  );
}

function Running({ report }: { report: ImportReport | undefined }) {
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

/** Admin → Import (P6): entity and template, upload, dry run, commit, result, undo. */
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

  const onFile = async (file: File) => {
    try {
      const created = await upload.mutateAsync({ entity, file });
      setReupload(false);
      go({ id: created.id });
    } catch {
      // shown below
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
  const columnLabel = (column: string) => (KNOWN_COLUMNS.has(column) ? t(`company.field.${column}` as MessageKey) : column || '—');

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
        <Card withBorder>
          <Stack>
            <Group align="flex-end" justify="space-between">
              <Stack gap={4}>
                <Text fw={600}>{t('import.entity')}</Text>
                <SegmentedControl
                  value={entity}
                  onChange={(v) => {
                    setEntity(v as ImportEntity);
                    if (!reupload) go({ entity: v as ImportEntity, id: null });
                  }}
                  disabled={reupload}
                  data={IMPORT_ENTITIES.map((e) => ({ value: e, label: t(`customField.entity.${e}` as MessageKey) }))}
                  data-testid="import-entity"
                />
              </Stack>
              <Group>
                <Text size="sm">{t('import.template')}</Text>
                <Button variant="default" size="xs" onClick={() => void template('xlsx')} data-testid="import-template-xlsx">
                  XLSX
                </Button>
                <Button variant="default" size="xs" onClick={() => void template('csv')} data-testid="import-template-csv">
                  CSV
                </Button>
              </Group>
            </Group>
            <ProblemAlert error={templateError} title={t('import.templateFailed')} />
            {reupload && <Alert color="blue">{t('import.reuploadHelp')}</Alert>}
            <FileDrop onFile={(f) => void onFile(f)} disabled={upload.isPending} />
            {upload.isPending && (
              <Group gap="xs">
                <Loader size="xs" />
                <Text size="sm">{t('import.uploading')}</Text>
              </Group>
            )}
            <ProblemAlert error={upload.error} title={t('import.uploadFailed')} />
            {reupload && (
              <Group>
                <Button variant="subtle" onClick={() => setReupload(false)}>
                  {t('app.cancel')}
                </Button>
              </Group>
            )}
          </Stack>
        </Card>
      )}

      {id && !reupload && (
        <Stack>
          {report.error && <ProblemAlert error={report.error} />}
          {r && (
            <Text size="sm" c="dimmed" data-testid="import-file-name">
              {t('import.fileInfo', { file: r.fileName ?? '', entity: t(`customField.entity.${r.entity}` as MessageKey), at: fmt.dateTime(r.createdAt) })}
            </Text>
          )}
          {running && <Running report={r} />}
          {r?.status === 'failed' && (
            <Alert color="red" title={t('import.status.failed')} data-testid="import-failed">
              {r.failure}
            </Alert>
          )}
          {r && !running && r.status !== 'failed' && (
            <>
              <SimpleGrid cols={{ base: 2, sm: 4 }}>
                <Stat label={t('import.rows')} value={fmt.integer(r.rows)} testId="import-rows" />
                <Stat label={t('import.valid')} value={fmt.integer(r.valid)} testId="import-valid" color="green" />
                <Stat label={t('import.errors')} value={fmt.integer(r.errorCount)} testId="import-error-count" color={r.errorCount ? 'red' : undefined} />
                <Stat label={t('import.duplicates')} value={fmt.integer(r.duplicateCount)} testId="import-duplicate-count" color={r.duplicateCount ? 'orange' : undefined} />
              </SimpleGrid>
              {(r.status === 'committed' || r.status === 'undone') && (
                <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="import-result">
                  <Stat label={t('import.created')} value={r.created} testId="import-created" color="green" />
                  <Stat label={t('import.updated')} value={r.updated} testId="import-updated" />
                  <Stat label={t('import.skipped')} value={r.skipped} testId="import-skipped" />
                  <Stat label={t('import.failedRows')} value={r.failed} testId="import-failed-rows" color={r.failed ? 'red' : undefined} />
                </SimpleGrid>
              )}
              {r.status === 'undone' && (
                <Alert color={r.conflicts?.length ? 'orange' : 'green'} title={t('import.status.undone')} data-testid="import-undone">
                  {t('import.undoneBody', { count: r.undone ?? 0 })}
                </Alert>
              )}
              {r.conflicts && r.conflicts.length > 0 && (
                <Card withBorder>
                  <Title order={5} mb="xs">
                    {t('import.conflicts')}
                  </Title>
                  <Text size="sm" c="dimmed" mb="xs">
                    {t('import.conflictsHelp')}
                  </Text>
                  <Table data-testid="import-conflicts">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('import.row')}</Table.Th>
                        <Table.Th>{t('import.record')}</Table.Th>
                        <Table.Th>{t('import.reason')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {r.conflicts.map((c) => (
                        <Table.Tr key={`${c.row}:${c.id}`}>
                          <Table.Td>{c.row}</Table.Td>
                          <Table.Td>
                            <Link href={`/${r.entity === 'person' ? 'persons' : 'companies'}/${c.id}`}>{t('import.open')}</Link>
                          </Table.Td>
                          <Table.Td>{c.reason}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Card>
              )}

              {r.errors.length > 0 && (
                <Card withBorder>
                  <Title order={5} mb="xs">
                    {t('import.errorsTitle')}
                  </Title>
                  <Text size="sm" c="dimmed" mb="xs">
                    {t('import.rowHelp')}
                  </Text>
                  <Table.ScrollContainer minWidth={500} mah={400}>
                    <Table striped data-testid="import-errors">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th w={80}>{t('import.row')}</Table.Th>
                          <Table.Th w={200}>{t('import.column')}</Table.Th>
                          <Table.Th>{t('import.message')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {r.errors.map((e, i) => (
                          <Table.Tr key={i} data-testid="import-error-row">
                            <Table.Td data-testid="import-error-row-number">{e.row === 0 ? t('import.fileLevel') : e.row}</Table.Td>
                            <Table.Td data-testid="import-error-column">{columnLabel(e.column)}</Table.Td>
                            <Table.Td>{e.message}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                  {r.truncated && (
                    <Text size="sm" c="dimmed">
                      {t('import.truncated')}
                    </Text>
                  )}
                </Card>
              )}

              {r.duplicates.length > 0 && (
                <Card withBorder>
                  <Title order={5} mb="xs">
                    {t('import.duplicatesTitle')}
                  </Title>
                  <Table data-testid="import-duplicates">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th w={80}>{t('import.row')}</Table.Th>
                        <Table.Th>{t('import.match')}</Table.Th>
                        <Table.Th>{t('import.reason')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {r.duplicates.map((d, i) => (
                        <Table.Tr key={i}>
                          <Table.Td>{d.row}</Table.Td>
                          <Table.Td>
                            {d.matchId ? (
                              <Link href={`/${r.entity === 'person' ? 'persons' : 'companies'}/${d.matchId}`} target="_blank">
                                {t('import.existingRecord')}
                              </Link>
                            ) : d.matchRow ? (
                              t('import.sameFileRow', { row: d.matchRow })
                            ) : (
                              '—'
                            )}
                          </Table.Td>
                          <Table.Td>
                            <Badge variant="light" color="orange">
                              {REASONS.includes(d.reason) ? t(`duplicates.reason.${d.reason}` as MessageKey) : d.reason}
                            </Badge>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Card>
              )}

              <ProblemAlert error={step.error} />

              {r.status === 'validated' && (
                <Card withBorder>
                  <Stack>
                    <Text>
                      {r.errorCount > 0
                        ? t('import.commitWithErrors', { valid: r.valid, errors: r.errorCount })
                        : t('import.commitReady', { valid: r.valid })}
                    </Text>
                    {r.duplicateCount > 0 && (
                      <Group>
                        <Text size="sm">{t('import.onDuplicate')}</Text>
                        <SegmentedControl
                          value={onDuplicate}
                          onChange={(v) => setOnDuplicate(v as OnDuplicate)}
                          data={(['skip', 'update', 'create'] as const).map((o) => ({ value: o, label: t(`import.onDuplicate.${o}`) }))}
                          data-testid="import-on-duplicate"
                        />
                      </Group>
                    )}
                    <Group>
                      <Button variant="default" onClick={() => setReupload(true)} data-testid="import-reupload">
                        {t('import.reupload')}
                      </Button>
                      <Button
                        onClick={() => step.mutate({ kind: 'commit', onDuplicate })}
                        loading={step.isPending}
                        disabled={r.valid === 0}
                        data-testid="import-commit"
                      >
                        {t('import.commit', { count: r.valid })}
                      </Button>
                    </Group>
                  </Stack>
                </Card>
              )}
              {r.status === 'committed' && (
                <Group>
                  <Button component={Link} href={r.entity === 'person' ? '/persons' : '/companies'} variant="default">
                    {t('import.openList')}
                  </Button>
                  <Button color="red" variant="light" onClick={() => step.mutate({ kind: 'undo' })} loading={step.isPending} data-testid="import-undo">
                    {t('import.undo')}
                  </Button>
                </Group>
              )}
            </>
          )}
        </Stack>
      )}
    </Stack>
  );
}
