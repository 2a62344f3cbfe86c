'use client';

import { ActionIcon, Button, Divider, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMemo, useRef, type ReactNode } from 'react';
import { Controller, useFieldArray, useWatch } from 'react-hook-form';
import { ADDRESS_KINDS, COMPANY_KINDS, COMPANY_SIZES, COMPANY_STATUSES } from '@kapocs/contracts';
import { FormSelect } from '@/forms/form-select';
import { normalizeErrorPath } from '@/forms/server-errors';
import { useServerForm } from '@/forms/use-server-form';
import { RemoteSelect } from '@/forms/remote-select';
import { ProblemAlert } from '@/api/problem-alert';
import { useApi } from '@/api/api-provider';
import type { CustomFieldDefinition } from '@/features/custom-fields/api/custom-fields.api';
import { CustomFieldInputs } from '@/features/custom-fields/components/custom-field-inputs';
import { applicableFields, fieldsBySection } from '@/features/custom-fields/components/custom-values';
import { searchCompanyGroups } from '@/features/company-groups/api/company-groups.api';
import { useCompanyGroup } from '@/features/company-groups/hooks/use-company-groups';
import { useMayAssignOwners } from '@/features/directory/hooks/use-directory';
import { useI18n } from '@/i18n/i18n-provider';
import { ContactRows } from '@/shared/records/contact-rows';
import { CustomFormSections, FormFooter, otherSections, OwnerSelect, WithCustomFieldDefs } from '@/shared/records/record-form-parts';
import { type Company } from '../api/companies.api';
import { useCreateCompany, useUpdateCompany } from '../hooks/use-companies';
import {
  companyFieldOf,
  companyFormSchema,
  companyToForm,
  emptyCompanyForm,
  toCompanyBody,
  type CompanyFormValues,
  type RowOrigins,
} from './company-form.schema';

/** Sections of the form a custom field's placement may name to appear inside them. */
export const COMPANY_SECTIONS = ['basics', 'contact', 'address', 'record'] as const;
type Section = (typeof COMPANY_SECTIONS)[number];

interface Props {
  mode: 'create' | 'edit';
  company?: Company;
  onSaved: (company: Company) => void;
  onCancel: () => void;
  /** After a 412: load the record again (the form then starts from the new version). */
  onReload?: () => void;
}

/** Create or edit a company: every P1 field, the custom fields by section and weight. */
export function CompanyForm(props: Props) {
  return <WithCustomFieldDefs entity="company">{(defs) => <CompanyFormBody {...props} defs={defs} />}</WithCustomFieldDefs>;
}

function CompanyFormBody({ mode, company, onSaved, onCancel, onReload, defs }: Props & { defs: CustomFieldDefinition[] }) {
  const { t } = useI18n();
  const api = useApi();
  const create = useCreateCompany();
  const update = useUpdateCompany(company);
  const mutation = mode === 'create' ? create : update;
  const mayAssign = useMayAssignOwners();
  const origins = useRef<RowOrigins>({ emails: [], phones: [], addresses: [] });
  const customKeys = useMemo(() => new Set(defs.map((d) => d.key)), [defs]);
  const schema = useMemo(() => companyFormSchema(defs), [defs]);

  const {
    register,
    control,
    errorText,
    onSubmit,
    formState: { errors, isSubmitting },
  } = useServerForm({
    schema,
    defaultValues: mode === 'edit' && company ? companyToForm(company, defs) : emptyCompanyForm(defs),
    fieldOf: (p) => companyFieldOf(p, origins.current, customKeys),
    save: async (values) => {
      const { body, origins: o } = toCompanyBody(values, defs, mode, company);
      origins.current = o;
      onSaved(await mutation.mutateAsync(body));
    },
  });
  const emails = useFieldArray({ control, name: 'emails' });
  const phones = useFieldArray({ control, name: 'phones' });
  const addresses = useFieldArray({ control, name: 'addresses' });
  const kind = useWatch({ control, name: 'kind' });
  const groupId = useWatch({ control, name: 'groupId' });
  const group = useCompanyGroup(groupId || null);

  const sections = useMemo(() => fieldsBySection(applicableFields(defs, kind)), [defs, kind]);
  const inSection = (s: Section) => sections.get(s) ?? [];
  const ownSections = otherSections(sections, COMPANY_SECTIONS);

  const text = (name: keyof CompanyFormValues & string, label: Parameters<typeof t>[0], extra: { required?: boolean; type?: string } = {}) => (
    <TextInput
      label={t(label)}
      {...register(name)}
      error={errorText(name)}
      withAsterisk={extra.required}
      type={extra.type}
      data-testid={`company-form-${name}`}
    />
  );
  const custom = (fields: CustomFieldDefinition[], cols = 2) => (
    <CustomFieldInputs fields={fields} control={control} errorText={errorText} testIdPrefix="company-form" cols={cols} />
  );
  // beside the first row's inputs, which carry the labels, the button moves down to line up
  const removeButton = (onClick: () => void, label: string, testId: string, first: boolean): ReactNode => (
    <ActionIcon variant="subtle" color="red" onClick={onClick} aria-label={label} mt={first ? 30 : 4} data-testid={testId}>
      ✕
    </ActionIcon>
  );

  return (
    <form onSubmit={onSubmit} noValidate data-testid="company-form">
      <Stack>

        <Divider label={t('company.detail.basics')} labelPosition="left" />
        {text('name', 'company.field.name', { required: true })}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <FormSelect
            control={control}
            name="kind"
            fallback="customer"
            label={t('company.field.kind')}
            data={COMPANY_KINDS.map((k) => ({ value: k, label: t(`company.kind.${k}`) }))}
            error={errorText('kind')}
            data-testid="company-form-kind"
          />
          <FormSelect
            control={control}
            name="status"
            fallback="active"
            label={t('company.field.status')}
            data={COMPANY_STATUSES.map((s) => ({ value: s, label: t(`company.status.${s}`) }))}
            error={errorText('status')}
            data-testid="company-form-status"
          />
          {text('legalForm', 'company.field.legalForm')}
          {text('taxNumber', 'company.field.taxNumber')}
          {text('registrationNumber', 'company.field.registrationNumber')}
          {text('country', 'company.field.country', { required: true })}
          {text('industry', 'company.field.industry')}
          <FormSelect
            control={control}
            name="size"
            label={t('company.field.size')}
            data={COMPANY_SIZES.map((s) => ({ value: s, label: t(`company.size.${s}`) }))}
            clearable
            error={errorText('size')}
            data-testid="company-form-size"
          />
        </SimpleGrid>
        {custom(inSection('basics'), 3)}

        <Divider label={t('company.form.contactSection')} labelPosition="left" />
        {text('website', 'company.field.website')}
        <ContactRows
          name="emails"
          rows={emails.fields}
          label={t('company.field.email')}
          register={register}
          errorText={errorText}
          onAdd={() => emails.append({ address: '', label: '' })}
          onRemove={emails.remove}
          testIdPrefix="company-form"
          firstRowOffset={30}
          buttonTestIds
        />
        <ContactRows
          name="phones"
          rows={phones.fields}
          label={t('company.field.phone')}
          register={register}
          errorText={errorText}
          onAdd={() => phones.append({ number: '', label: '' })}
          onRemove={phones.remove}
          testIdPrefix="company-form"
          firstRowOffset={30}
          buttonTestIds
        />
        {custom(inSection('contact'))}

        <Divider label={t('company.field.addresses')} labelPosition="left" />
        {addresses.fields.map((row, i) => (
          <Group key={row.id} align="flex-start" wrap="nowrap" gap="xs">
            <SimpleGrid cols={{ base: 1, sm: 5 }} style={{ flex: 1 }} spacing="xs">
              <FormSelect
                control={control}
                name={`addresses.${i}.kind`}
                fallback="headquarters"
                label={t('company.field.addressKind')}
                data={ADDRESS_KINDS.map((k) => ({ value: k, label: t(`company.addressKind.${k}`) }))}
                error={errorText(`addresses.${i}.kind`)}
              />
              <TextInput label={t('company.field.country')} {...register(`addresses.${i}.country`)} error={errorText(`addresses.${i}.country`)} />
              <TextInput
                label={t('company.field.postalCode')}
                {...register(`addresses.${i}.postalCode`)}
                error={errorText(`addresses.${i}.postalCode`)}
                data-testid={`company-form-addresses.${i}.postalCode`}
              />
              <TextInput
                label={t('company.field.city')}
                {...register(`addresses.${i}.city`)}
                error={errorText(`addresses.${i}.city`)}
                data-testid={`company-form-addresses.${i}.city`}
              />
              <TextInput
                label={t('company.field.street')}
                {...register(`addresses.${i}.street`)}
                error={errorText(`addresses.${i}.street`)}
                data-testid={`company-form-addresses.${i}.street`}
              />
            </SimpleGrid>
            {removeButton(() => addresses.remove(i), t('app.remove'), `company-form-addresses.${i}.remove`, true)}
          </Group>
        ))}
        <Group>
          <Button
            variant="subtle"
            size="xs"
            onClick={() => addresses.append({ kind: 'site', country: 'HU', postalCode: '', city: '', street: '' })}
            data-testid="company-form-add-address"
          >
            + {t('company.form.addAddress')}
          </Button>
        </Group>
        {custom(inSection('address'))}

        <Divider label={t('company.detail.record')} labelPosition="left" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Controller
            control={control}
            name="groupId"
            render={({ field: f }) => (
              <RemoteSelect
                cacheKey="company-groups"
                search={async (q, signal) => (await searchCompanyGroups(api, q, signal)).map((g) => ({ value: g.id, label: g.name }))}
                value={f.value || null}
                onChange={(v) => f.onChange(v ?? '')}
                selectedLabel={group.data?.name}
                label={t('company.field.group')}
                placeholder={t('company.form.noGroup')}
                clearable
                error={errorText('groupId')}
                testId="company-form-group"
              />
            )}
          />
          {mayAssign ? (
            <OwnerSelect control={control} mode={mode} label={t('company.field.owner')} error={errorText('ownerId')} testId="company-form-owner" />
          ) : (
            <div />
          )}
        </SimpleGrid>
        {custom(inSection('record'))}

        <CustomFormSections sections={ownSections} render={(fields) => custom(fields)} testId="company-form-custom-section" />

        {mutation.error && (
          <ProblemAlert
            error={mutation.error}
            title={t('company.form.failed')}
            hideFieldErrors={(path) => companyFieldOf(normalizeErrorPath(path), origins.current, customKeys) !== undefined}
            onReload={onReload}
          />
        )}
        <FormFooter invalid={Object.keys(errors).length > 0} submitting={isSubmitting} onCancel={onCancel} testIdPrefix="company-form" testIds />
      </Stack>
    </form>
  );
}
