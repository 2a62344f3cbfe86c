'use client';

import { Divider, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMemo, useRef } from 'react';
import { useFieldArray } from 'react-hook-form';
import { ProblemAlert } from '@/api/problem-alert';
import type { CustomFieldDefinition } from '@/features/custom-fields/api/custom-fields.api';
import { CustomFieldInputs } from '@/features/custom-fields/components/custom-field-inputs';
import { applicableFields, fieldsBySection } from '@/features/custom-fields/components/custom-values';
import { useMayAssignOwners } from '@/features/directory/hooks/use-directory';
import { normalizeErrorPath } from '@/forms/server-errors';
import { useServerForm } from '@/forms/use-server-form';
import { useI18n } from '@/i18n/i18n-provider';
import { ContactRows } from '@/shared/records/contact-rows';
import { CustomFormSections, FormFooter, otherSections, OwnerSelect, WithCustomFieldDefs } from '@/shared/records/record-form-parts';
import type { MessageKey } from '@/i18n/hu';
import type { Person } from '../api/persons.api';
import { useSavePerson } from '../hooks/use-persons';
import {
  emptyPersonForm,
  personFieldOf,
  personFormSchema,
  personToForm,
  toPersonBody,
  type PersonRowOrigins,
} from './person-form.schema';

export const PERSON_SECTIONS = ['basics', 'contact', 'record'] as const;

interface Props {
  mode: 'create' | 'edit';
  person?: Person;
  onSaved: (person: Person) => void;
  onCancel: () => void;
  onReload?: () => void;
}

export function PersonForm(props: Props) {
  return <WithCustomFieldDefs entity="person">{(defs) => <PersonFormBody {...props} defs={applicableFields(defs)} />}</WithCustomFieldDefs>;
}

function PersonFormBody({ mode, person, onSaved, onCancel, onReload, defs }: Props & { defs: CustomFieldDefinition[] }) {
  const { t, locale } = useI18n();
  const save = useSavePerson(mode === 'edit' ? person : undefined);
  const mayAssign = useMayAssignOwners();
  const origins = useRef<PersonRowOrigins>({ emails: [], phones: [] });
  const customKeys = useMemo(() => new Set(defs.map((d) => d.key)), [defs]);
  const schema = useMemo(() => personFormSchema(defs), [defs]);
  const {
    register,
    control,
    errorText,
    onSubmit,
    formState: { errors, isSubmitting },
  } = useServerForm({
    schema,
    defaultValues: mode === 'edit' && person ? personToForm(person, defs) : emptyPersonForm(defs),
    fieldOf: (p) => personFieldOf(p, origins.current, customKeys),
    save: async (values) => {
      const { body, origins: o } = toPersonBody(values, defs, mode, person);
      origins.current = o;
      onSaved(await save.mutateAsync(body));
    },
  });
  const emails = useFieldArray({ control, name: 'emails' });
  const phones = useFieldArray({ control, name: 'phones' });
  const sections = fieldsBySection(defs);
  const own = otherSections(sections, PERSON_SECTIONS);
  const custom = (fields: CustomFieldDefinition[] | undefined) => (
    <CustomFieldInputs fields={fields ?? []} control={control} errorText={errorText} testIdPrefix="person-form" />
  );

  const text = (name: 'familyName' | 'givenName' | 'title' | 'position', label: MessageKey, required = false) => (
    <TextInput label={t(label)} {...register(name)} error={errorText(name)} withAsterisk={required} data-testid={`person-form-${name}`} />
  );
  // Hungarian names are written family name first, English ones given name first.
  const names =
    locale === 'hu'
      ? [text('familyName', 'person.field.familyName', true), text('givenName', 'person.field.givenName', true)]
      : [text('givenName', 'person.field.givenName', true), text('familyName', 'person.field.familyName', true)];

  return (
    <form onSubmit={onSubmit} noValidate data-testid="person-form">
      <Stack>
        <Divider label={t('person.section.basics')} labelPosition="left" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {names[0]}
          {names[1]}
          {text('title', 'person.field.title')}
          {text('position', 'person.field.position')}
        </SimpleGrid>
        {custom(sections.get('basics'))}

        <Divider label={t('person.section.contact')} labelPosition="left" />
        <ContactRows
          name="emails"
          rows={emails.fields}
          label={t('person.field.email')}
          register={register}
          errorText={errorText}
          onAdd={() => emails.append({ address: '', label: '' })}
          onRemove={emails.remove}
          testIdPrefix="person-form"
          firstRowOffset={26}
        />
        <ContactRows
          name="phones"
          rows={phones.fields}
          label={t('person.field.phone')}
          register={register}
          errorText={errorText}
          onAdd={() => phones.append({ number: '', label: '' })}
          onRemove={phones.remove}
          testIdPrefix="person-form"
          firstRowOffset={26}
        />
        {custom(sections.get('contact'))}

        {(mayAssign || (sections.get('record') ?? []).length > 0) && <Divider label={t('person.section.record')} labelPosition="left" />}
        {mayAssign && (
          <OwnerSelect control={control} mode={mode} label={t('person.field.owner')} error={errorText('ownerId')} testId="person-form-owner" maw={400} />
        )}
        {custom(sections.get('record'))}

        <CustomFormSections sections={own} render={(fields) => custom(fields)} />

        {save.error && (
          <ProblemAlert
            error={save.error}
            title={t('person.form.failed')}
            hideFieldErrors={(path) => personFieldOf(normalizeErrorPath(path), origins.current, customKeys) !== undefined}
            onReload={onReload}
          />
        )}
        <FormFooter invalid={Object.keys(errors).length > 0} submitting={isSubmitting} onCancel={onCancel} testIdPrefix="person-form" />
      </Stack>
    </form>
  );
}
