'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Divider, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { ApiError } from '@/api/api-error';
import { ProblemAlert } from '@/api/problem-alert';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import { COMPANY_KINDS, type Company } from '../api/companies.api';
import { useCreateCompany } from '../hooks/use-companies';
import {
  companyFormSchema,
  emptyCompanyForm,
  formFieldForPath,
  toCreateCompanyBody,
  type CompanyFormField,
  type CompanyFormValues,
} from './company-form.schema';

interface Props {
  opened: boolean;
  onClose: () => void;
  onCreated?: (company: Company) => void;
}

export function CompanyFormModal({ opened, onClose, onCreated }: Props) {
  const { t } = useI18n();
  return (
    <Modal opened={opened} onClose={onClose} title={t('company.form.title')} size="lg" data-testid="company-form-modal">
      {/* Mounted only while open, so every opening starts from an empty form. */}
      {opened && <CompanyForm onClose={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function CompanyForm({ onClose, onCreated }: Omit<Props, 'opened'>) {
  const { t } = useI18n();
  const create = useCreateCompany();
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<CompanyFormValues, unknown, z.output<typeof companyFormSchema>>({
    resolver: zodResolver(companyFormSchema),
    defaultValues: emptyCompanyForm,
  });

  // Client messages are catalogue keys; server messages are shown as the server wrote them.
  const errorText = (field: CompanyFormField) => {
    const error = errors[field];
    if (!error?.message) return undefined;
    return error.type === 'server' ? error.message : t(error.message as MessageKey);
  };

  const onSubmit = handleSubmit(async (values) => {
    try {
      const company = await create.mutateAsync(toCreateCompanyBody(values));
      notifications.show({ color: 'green', message: t('company.form.created', { name: company.name }) });
      onCreated?.(company);
      onClose();
    } catch (error) {
      if (error instanceof ApiError) {
        for (const fe of error.fieldErrors) {
          const field = formFieldForPath(fe.path);
          if (field) setError(field, { type: 'server', message: fe.message });
        }
      }
    }
  });

  const field = (name: CompanyFormField, label: MessageKey, extra: { required?: boolean; type?: string } = {}) => (
    <TextInput
      label={t(label)}
      {...register(name)}
      error={errorText(name)}
      withAsterisk={extra.required}
      type={extra.type}
      data-testid={`company-form-${name}`}
    />
  );

  return (
    <form onSubmit={onSubmit} noValidate data-testid="company-form">
      <Stack>
        {create.error && (
          <ProblemAlert
            error={create.error}
            title={t('company.form.failed')}
            hideFieldErrors={(path) => formFieldForPath(path) !== undefined}
          />
        )}
        {field('name', 'company.field.name', { required: true })}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Controller
            control={control}
            name="kind"
            render={({ field: f }) => (
              <Select
                label={t('company.field.kind')}
                data={COMPANY_KINDS.map((k) => ({ value: k, label: t(`company.kind.${k}`) }))}
                value={f.value}
                onChange={(v) => f.onChange(v ?? 'customer')}
                onBlur={f.onBlur}
                allowDeselect={false}
                error={errorText('kind')}
                data-testid="company-form-kind"
              />
            )}
          />
          {field('country', 'company.field.country')}
          {field('taxNumber', 'company.field.taxNumber')}
          {field('registrationNumber', 'company.field.registrationNumber')}
        </SimpleGrid>
        <Divider label={t('company.form.contactSection')} labelPosition="left" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {field('email', 'company.field.email', { type: 'email' })}
          {field('phone', 'company.field.phone', { type: 'tel' })}
        </SimpleGrid>
        {field('website', 'company.field.website')}
        <Divider label={t('company.form.addressSection')} labelPosition="left" />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {field('postalCode', 'company.field.postalCode')}
          {field('city', 'company.field.city')}
          {field('street', 'company.field.street')}
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('company.form.cancel')}
          </Button>
          <Button type="submit" loading={isSubmitting} data-testid="company-form-submit">
            {t('company.form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
