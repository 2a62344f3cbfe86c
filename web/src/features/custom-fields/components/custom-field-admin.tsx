'use client';

import { Alert, Badge, Button, Center, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { Roles } from '@kapocs/contracts';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { ProblemAlert } from '@/api/problem-alert';
import { useHasRole } from '@/features/directory/hooks/use-directory';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import { ConfirmDelete } from '@/shell/confirm-delete';
import { DataTable } from '@/shell/data-table';
import { PanelLoader } from '@/shell/query-view';
import { CUSTOM_FIELD_ENTITIES, type CustomFieldDefinition, type CustomFieldEntity } from '../api/custom-fields.api';
import { useCustomFields, useDeleteCustomField } from '../hooks/use-custom-fields';
import { CustomFieldFormModal } from './custom-field-form-modal';
import { fieldLabel, valueToString } from './custom-values';

function EntityFields({ entity }: { entity: CustomFieldEntity }) {
  const { t, locale } = useI18n();
  const defs = useCustomFields(entity);
  const remove = useDeleteCustomField();
  const [editing, setEditing] = useState<CustomFieldDefinition | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CustomFieldDefinition | null>(null);
  const sorted = useMemo(
    () =>
      [...(defs.data ?? [])].sort(
        (a, b) => (a.placement ?? '').localeCompare(b.placement ?? '') || a.weight - b.weight || a.key.localeCompare(b.key),
      ),
    [defs.data],
  );
  const placements = useMemo(() => [...new Set(sorted.map((d) => d.placement).filter((p): p is string => !!p))], [sorted]);

  return (
    <Stack pt="md">
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          {t(`customField.admin.help.${entity}` as MessageKey)}
        </Text>
        <Button onClick={() => setEditing('new')} data-testid="cf-new">
          {t('customField.new')}
        </Button>
      </Group>
      {defs.error && <ProblemAlert error={defs.error} />}
      {defs.isPending && <PanelLoader flush />}
      {defs.isSuccess && sorted.length === 0 && <Text c="dimmed">{t('customField.admin.empty')}</Text>}
      {sorted.length > 0 && (
        <DataTable<CustomFieldDefinition>
          striped
          testId="cf-table"
          scroll={{ minWidth: 800 }}
          rows={sorted}
          rowKey={(d) => d.id}
          rowProps={(d) => ({ 'data-testid': 'cf-row', 'data-key': d.key })}
          columns={[
            { key: 'key', header: t('customField.field.key'), cell: (d) => <code>{d.key}</code> },
            { key: 'label', header: t('customField.field.label'), cell: (d) => fieldLabel(d, locale) },
            {
              key: 'type',
              header: t('customField.field.type'),
              cell: (d) => (
                <>
                  {t(`customField.type.${d.type}` as MessageKey)}
                  {d.type === 'list' && d.options ? ` (${d.options.length})` : ''}
                </>
              ),
            },
            { key: 'placement', header: t('customField.field.placement'), cell: (d) => d.placement ?? t('customField.defaultSection') },
            { key: 'weight', header: t('customField.field.weight'), cell: (d) => d.weight },
            entity === 'company' && {
              key: 'subtype',
              header: t('customField.field.subtype'),
              cell: (d) => (d.subtype ? t(`company.kind.${d.subtype}` as MessageKey) : t('customField.subtypeAll')),
            },
            { key: 'default', header: t('customField.field.default'), cell: (d) => valueToString(d.default) },
            {
              key: 'required',
              cell: (d) =>
                d.required && (
                  <Badge color="red" variant="light">
                    {t('customField.field.required')}
                  </Badge>
                ),
            },
            {
              key: 'actions',
              cell: (d) => (
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-xs" variant="subtle" onClick={() => setEditing(d)} data-testid="cf-edit">
                    {t('app.edit')}
                  </Button>
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => setDeleting(d)} data-testid="cf-delete">
                    {t('app.delete')}
                  </Button>
                </Group>
              ),
            },
          ]}
        />
      )}
      <CustomFieldFormModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        entity={entity}
        existing={editing === 'new' || editing === null ? undefined : editing}
        placements={placements}
      />
      <ConfirmDelete
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('customField.delete.title')}
        message={t('customField.delete.body', { name: deleting ? fieldLabel(deleting, locale) : '' })}
        onReload={() => void defs.refetch()}
        onConfirm={async () => {
          if (!deleting) return;
          await remove.mutateAsync(deleting);
          notifications.show({ color: 'green', message: t('company.delete.done', { name: fieldLabel(deleting, locale) }) });
        }}
      />
    </Stack>
  );
}

/** Admin → Custom fields (P5): definitions per entity; only crm-admin may change them. */
export function CustomFieldAdmin() {
  const { t } = useI18n();
  const isAdmin = useHasRole(Roles.admin);
  if (isAdmin === undefined) {
    return (
      <Center mt="xl">
        <Loader />
      </Center>
    );
  }
  return (
    <Stack>
      <Title order={2}>{t('nav.customFields')}</Title>
      {!isAdmin ? (
        <Alert color="red" title={t('error.forbiddenTitle')} data-testid="forbidden">
          {t('customField.admin.forbidden')}
        </Alert>
      ) : (
        <Tabs defaultValue="company" keepMounted={false}>
          <Tabs.List>
            {CUSTOM_FIELD_ENTITIES.map((e) => (
              <Tabs.Tab key={e} value={e} data-testid={`cf-tab-${e}`}>
                {t(`customField.entity.${e}` as MessageKey)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {CUSTOM_FIELD_ENTITIES.map((e) => (
            <Tabs.Panel key={e} value={e}>
              <EntityFields entity={e} />
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </Stack>
  );
}
