'use client';

import { Button, Center, Divider, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Control, FieldValues, Path } from 'react-hook-form';
import { ProblemAlert } from '@/api/problem-alert';
import type { CustomFieldDefinition } from '@/features/custom-fields/api/custom-fields.api';
import { useCustomFields } from '@/features/custom-fields/hooks/use-custom-fields';
import { useUserOptions } from '@/features/directory/hooks/use-directory';
import { FormSelect } from '@/forms/form-select';
import { useI18n } from '@/i18n/i18n-provider';

/** The custom-field sections of a record that are none of the form's own sections. */
export function otherSections(
  sections: Map<string | null, CustomFieldDefinition[]>,
  known: readonly string[],
): [string | null, CustomFieldDefinition[]][] {
  return [...sections.entries()].filter(([p]) => !(known as readonly (string | null)[]).includes(p));
}

/** Reads the custom-field definitions of an entity first (a loader meanwhile), then renders the form with them. */
export function WithCustomFieldDefs({ entity, children }: { entity: string; children: (defs: CustomFieldDefinition[]) => ReactNode }) {
  const { t } = useI18n();
  const defs = useCustomFields(entity);
  if (defs.isPending) {
    return (
      <Center p="lg">
        <Loader size="sm" />
      </Center>
    );
  }
  return (
    <Stack>
      {defs.error && <ProblemAlert error={defs.error} title={t('customField.loadFailed')} />}
      {children(defs.data ?? [])}
    </Stack>
  );
}

/** A form section of its own for custom fields placed outside the form's sections. */
export function CustomFormSections({
  sections,
  render,
  testId,
}: {
  sections: [string | null, CustomFieldDefinition[]][];
  render: (fields: CustomFieldDefinition[]) => ReactNode;
  testId?: string;
}) {
  const { t } = useI18n();
  return sections.map(([placement, fields]) => (
    <Stack key={placement ?? ''} gap="xs" data-testid={testId}>
      <Divider label={placement ?? t('customField.defaultSection')} labelPosition="left" />
      {render(fields)}
    </Stack>
  ));
}

/** The foot of a form: the hint to fix the marked fields (where the form gives it), and cancel / submit. */
export function FormFooter({
  invalid = false,
  submitting,
  onCancel,
  testIdPrefix,
  testIds = false,
}: {
  invalid?: boolean;
  submitting: boolean;
  onCancel: () => void;
  testIdPrefix: string;
  /** Whether the hint and the cancel button carry data-testids too (the submit button always does). */
  testIds?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      {invalid && (
        <Text c="red" size="sm" data-testid={testIds ? `${testIdPrefix}-invalid` : undefined}>
          {t('form.fixErrors')}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} data-testid={testIds ? `${testIdPrefix}-cancel` : undefined}>
          {t('company.form.cancel')}
        </Button>
        <Button type="submit" loading={submitting} data-testid={`${testIdPrefix}-submit`}>
          {t('company.form.submit')}
        </Button>
      </Group>
    </>
  );
}

/** The owner of a record being entered: one of the directory's users (on create, empty means "me"). */
export function OwnerSelect<T extends FieldValues>({
  control,
  mode,
  label,
  error,
  testId,
  maw,
}: {
  control: Control<T>;
  mode: 'create' | 'edit';
  label: string;
  error: string | undefined;
  testId: string;
  maw?: number;
}) {
  const { t } = useI18n();
  const userOptions = useUserOptions();
  return (
    <FormSelect
      control={control}
      name={'ownerId' as Path<T>}
      label={label}
      description={t('owners.departmentFollows')}
      placeholder={mode === 'create' ? t('company.form.ownerMe') : undefined}
      data={userOptions}
      searchable
      clearable={mode === 'create'}
      error={error}
      data-testid={testId}
      maw={maw}
    />
  );
}
