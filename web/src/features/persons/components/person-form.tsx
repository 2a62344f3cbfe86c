'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { ActionIcon, Button, Center, Divider, Group, Loader, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useRef } from 'react';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { ProblemAlert } from '@/api/problem-alert';
import type { CustomFieldDefinition } from '@/features/custom-fields/api/custom-fields.api';
import { CustomFieldInputs } from '@/features/custom-fields/components/custom-field-inputs';
import { applicableFields, fieldsBySection } from '@/features/custom-fields/components/custom-values';
import { useCustomFields } from '@/features/custom-fields/hooks/use-custom-fields';
import { useMayAssignOwners, useUserOptions } from '@/features/directory/hooks/use-directory';
import { applyServerErrors, normalizeErrorPath } from '@/forms/server-errors';
import { useErrorText } from '@/forms/use-error-text';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import type { Person } from '../api/persons.api';
import { useSavePerson } from '../hooks/use-persons';
import {
  emptyPersonForm,
  personFieldOf,
  personFormSchema,
  personToForm,
  toPersonBody,
  type PersonFormOutput,
  type PersonFormValues,
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
  const { t } = useI18n();
  const defs = useCustomFields('person');
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
      <PersonFormBody {...props} defs={applicableFields(defs.data ?? [])} />
    </Stack>
  );
}

function PersonFormBody({ mode, person, onSaved, onCancel, onReload, defs }: Props & { defs: CustomFieldDefinition[] }) {
  const { t, locale } = useI18n();
  const save = useSavePerson(mode === 'edit' ? person : undefined);
  const mayAssign = useMayAssignOwners();
  const userOptions = useUserOptions();
  const origins = useRef<PersonRowOrigins>({ emails: [], phones: [] });
  const customKeys = useMemo(() => new Set(defs.map((d) => d.key)), [defs]);
  const schema = useMemo(() => personFormSchema(defs), [defs]);
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<PersonFormValues, unknown, PersonFormOutput>({
    resolver: zodResolver(schema),
    defaultValues: mode === 'edit' && person ? personToForm(person, defs) : emptyPersonForm(defs),
  });
  const errorText = useErrorText(errors);
  const emails = useFieldArray({ control, name: 'emails' });
  const phones = useFieldArray({ control, name: 'phones' });
  const sections = fieldsBySection(defs);
  const own = [...sections.entries()].filter(([p]) => !(PERSON_SECTIONS as readonly (string | null)[]).includes(p));
  const custom = (fields: CustomFieldDefinition[] | undefined) => (
    <CustomFieldInputs fields={fields ?? []} control={control} errorText={errorText} testIdPrefix="person-form" />
  );

  const onSubmit = handleSubmit(async (values) => {
    const { body, origins: o } = toPersonBody(values, defs, mode, person);
    origins.current = o;
    try {
      onSaved(await save.mutateAsync(body));
    } catch (error) {
      applyServerErrors(error, setError, (p) => personFieldOf(p, o, customKeys));
    }
  });

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
        {emails.fields.map((row, i) => (
          <Group key={row.id} align="flex-start" wrap="nowrap" gap="xs">
            <TextInput
              style={{ flex: 2 }}
              label={i === 0 ? t('person.field.email') : undefined}
              aria-label={t('person.field.email')}
              type="email"
              {...register(`emails.${i}.address`)}
              error={errorText(`emails.${i}.address`)}
              data-testid={`person-form-emails.${i}.address`}
            />
            <TextInput
              style={{ flex: 1 }}
              label={i === 0 ? t('company.field.label') : undefined}
              aria-label={t('company.field.label')}
              placeholder={t('company.field.labelPlaceholder')}
              {...register(`emails.${i}.label`)}
              error={errorText(`emails.${i}.label`)}
            />
            <ActionIcon variant="subtle" color="red" mt={i === 0 ? 26 : 4} onClick={() => emails.remove(i)} aria-label={t('app.remove')}>
              ✕
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button variant="subtle" size="xs" onClick={() => emails.append({ address: '', label: '' })}>
            + {t('company.form.addEmail')}
          </Button>
        </Group>
        {phones.fields.map((row, i) => (
          <Group key={row.id} align="flex-start" wrap="nowrap" gap="xs">
            <TextInput
              style={{ flex: 2 }}
              label={i === 0 ? t('person.field.phone') : undefined}
              aria-label={t('person.field.phone')}
              type="tel"
              {...register(`phones.${i}.number`)}
              error={errorText(`phones.${i}.number`)}
              data-testid={`person-form-phones.${i}.number`}
            />
            <TextInput
              style={{ flex: 1 }}
              label={i === 0 ? t('company.field.label') : undefined}
              aria-label={t('company.field.label')}
              placeholder={t('company.field.labelPlaceholder')}
              {...register(`phones.${i}.label`)}
              error={errorText(`phones.${i}.label`)}
            />
            <ActionIcon variant="subtle" color="red" mt={i === 0 ? 26 : 4} onClick={() => phones.remove(i)} aria-label={t('app.remove')}>
              ✕
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button variant="subtle" size="xs" onClick={() => phones.append({ number: '', label: '' })}>
            + {t('company.form.addPhone')}
          </Button>
        </Group>
        {custom(sections.get('contact'))}

        {(mayAssign || (sections.get('record') ?? []).length > 0) && <Divider label={t('person.section.record')} labelPosition="left" />}
        {mayAssign && (
          <Controller
            control={control}
            name="ownerId"
            render={({ field: f }) => (
              <Select
                label={t('person.field.owner')}
                placeholder={mode === 'create' ? t('company.form.ownerMe') : undefined}
                data={userOptions}
                value={f.value || null}
                onChange={(v) => f.onChange(v ?? '')}
                searchable
                clearable={mode === 'create'}
                error={errorText('ownerId')}
                data-testid="person-form-owner"
                maw={400}
              />
            )}
          />
        )}
        {custom(sections.get('record'))}

        {own.map(([placement, fields]) => (
          <Stack key={placement ?? ''} gap="xs">
            <Divider label={placement ?? t('customField.defaultSection')} labelPosition="left" />
            {custom(fields)}
          </Stack>
        ))}

        {save.error && (
          <ProblemAlert
            error={save.error}
            title={t('person.form.failed')}
            hideFieldErrors={(path) => personFieldOf(normalizeErrorPath(path), origins.current, customKeys) !== undefined}
            onReload={onReload}
          />
        )}
        {Object.keys(errors).length > 0 && (
          <Text c="red" size="sm">
            {t('form.fixErrors')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('company.form.cancel')}
          </Button>
          <Button type="submit" loading={isSubmitting} data-testid="person-form-submit">
            {t('company.form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
