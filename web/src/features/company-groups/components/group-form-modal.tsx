'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { ProblemAlert } from '@/api/problem-alert';
import { applyServerErrors } from '@/forms/server-errors';
import { useErrorText } from '@/forms/use-error-text';
import { useI18n } from '@/i18n/i18n-provider';
import type { CompanyGroupDetail } from '../api/company-groups.api';
import { useSaveCompanyGroup } from '../hooks/use-company-groups';

const schema = z.object({
  name: z.string().trim().min(1, { error: 'group.validation.name' }).max(200, { error: 'validation.tooLong|max=200' }),
  description: z.string().trim().max(4000, { error: 'validation.tooLong|max=4000' }),
});
type Values = z.input<typeof schema>;

interface Props {
  opened: boolean;
  onClose: () => void;
  group?: CompanyGroupDetail;
  onSaved: (group: CompanyGroupDetail) => void;
  onReload?: () => void;
}

function GroupForm({ group, onClose, onSaved, onReload }: Omit<Props, 'opened'>) {
  const { t } = useI18n();
  const save = useSaveCompanyGroup(group);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: group?.name ?? '', description: group?.description ?? '' },
  });
  const errorText = useErrorText(errors);
  const onSubmit = handleSubmit(async (v) => {
    try {
      onSaved(await save.mutateAsync({ name: v.name, description: v.description.trim() || (group ? null : undefined) }));
    } catch (error) {
      applyServerErrors(error, setError, (p) => (p === 'name' || p === 'description' ? p : undefined));
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate data-testid="group-form">
      <Stack>
        {save.error && <ProblemAlert error={save.error} hideFieldErrors={(p) => p === 'name' || p === 'description'} onReload={onReload} />}
        <TextInput label={t('group.field.name')} withAsterisk {...register('name')} error={errorText('name')} data-testid="group-form-name" />
        <Textarea
          label={t('group.field.description')}
          autosize
          minRows={3}
          {...register('description')}
          error={errorText('description')}
          data-testid="group-form-description"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('app.cancel')}
          </Button>
          <Button type="submit" loading={isSubmitting} data-testid="group-form-submit">
            {t('company.form.submit')}
          </Button>
        </Group>
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
