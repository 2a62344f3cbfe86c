'use client';

import { Alert, Badge, Button, Center, Group, Loader, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { Roles } from '@kapocs/contracts';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { ProblemAlert } from '@/api/problem-alert';
import { useHasRole } from '@/features/directory/hooks/use-directory';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import { ConfirmDelete } from '@/shell/confirm-delete';
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
      {defs.isPending && (
        <Center>
          <Loader size="sm" />
        </Center>
      )}
      {defs.isSuccess && sorted.length === 0 && <Text c="dimmed">{t('customField.admin.empty')}</Text>}
      {sorted.length > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table striped data-testid="cf-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('customField.field.key')}</Table.Th>
                <Table.Th>{t('customField.field.label')}</Table.Th>
                <Table.Th>{t('customField.field.type')}</Table.Th>
                <Table.Th>{t('customField.field.placement')}</Table.Th>
                <Table.Th>{t('customField.field.weight')}</Table.Th>
                {entity === 'company' && <Table.Th>{t('customField.field.subtype')}</Table.Th>}
                <Table.Th>{t('customField.field.default')}</Table.Th>
                <Table.Th />
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.map((d) => (
                <Table.Tr key={d.id} data-testid="cf-row" data-key={d.key}>
                  <Table.Td>
                    <code>{d.key}</code>
                  </Table.Td>
                  <Table.Td>{fieldLabel(d, locale)}</Table.Td>
                  <Table.Td>
                    {t(`customField.type.${d.type}` as MessageKey)}
                    {d.type === 'list' && d.options ? ` (${d.options.length})` : ''}
                  </Table.Td>
                  <Table.Td>{d.placement ?? t('customField.defaultSection')}</Table.Td>
                  <Table.Td>{d.weight}</Table.Td>
                  {entity === 'company' && (
                    <Table.Td>{d.subtype ? t(`company.kind.${d.subtype}` as MessageKey) : t('customField.subtypeAll')}</Table.Td>
                  )}
                  <Table.Td>{valueToString(d.default)}</Table.Td>
                  <Table.Td>
                    {d.required && (
                      <Badge color="red" variant="light">
                        {t('customField.field.required')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(d)} data-testid="cf-edit">
                        {t('app.edit')}
                      </Button>
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setDeleting(d)} data-testid="cf-delete">
                        {t('app.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
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
