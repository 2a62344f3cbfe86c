'use client';

import { Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { z } from 'zod';
import { ProblemAlert } from '@/api/problem-alert';
import { useServerForm } from '@/forms/use-server-form';
import { useI18n } from '@/i18n/i18n-provider';
import { FormFooter } from '@/shared/records/record-form-parts';
import type { CompanyGroupDetail } from '../api/company-groups.api';
import { useSaveCompanyGroup } from '../hooks/use-company-groups';

const schema = z.object({
  name: z.string().trim().min(1, { error: 'group.validation.name' }).max(200, { error: 'validation.tooLong|max=200' }),
  description: z.string().trim().max(4000, { error: 'validation.tooLong|max=4000' }),
});

interface Props {
  opened: boolean;
  onClose: () => void;
  group?: CompanyGroupDetail;
  onSaved: (group: CompanyGroupDetail) => void;
  onReload?: () => void;
}

const fieldOf = (p: string) => (p === 'name' || p === 'description' ? p : undefined);

function GroupForm({ group, onClose, onSaved, onReload }: Omit<Props, 'opened'>) {
  const { t } = useI18n();
  const save = useSaveCompanyGroup(group);
  const {
    register,
    errorText,
    onSubmit,
    formState: { isSubmitting },
  } = useServerForm({
    schema,
    defaultValues: { name: group?.name ?? '', description: group?.description ?? '' },
    fieldOf,
    save: async (v) => onSaved(await save.mutateAsync({ name: v.name, description: v.description.trim() || (group ? null : undefined) })),
  });
  return (
    <form onSubmit={onSubmit} noValidate data-testid="group-form">
      <Stack>
        {save.error && <ProblemAlert error={save.error} hideFieldErrors={(p) => !!fieldOf(p)} onReload={onReload} />}
        <TextInput label={t('group.field.name')} withAsterisk {...register('name')} error={errorText('name')} data-testid="group-form-name" />
        <Textarea
          label={t('group.field.description')}
          autosize
          minRows={3}
          {...register('description')}
          error={errorText('description')}
          data-testid="group-form-description"
        />
        <FormFooter submitting={isSubmitting} onCancel={onClose} testIdPrefix="group-form" />
      </Stack>
    </form>
  );
}

export function GroupFormModal({ opened, ...rest }: Props) {
  const { t } = useI18n();
  return (
    <Modal opened={opened} onClose={rest.onClose} title={rest.group ? t('group.edit') : t('groups.new')} size="lg">
      {opened && <GroupForm {...rest} />}
    </Modal>
  );
}
