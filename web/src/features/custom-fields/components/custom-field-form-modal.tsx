'use client';

import { Autocomplete, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { Controller, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { COMPANY_KINDS, CUSTOM_FIELD_KEY_PATTERN, CUSTOM_FIELD_TYPES } from '@kapocs/contracts';
import { ProblemAlert } from '@/api/problem-alert';
import { FormSelect } from '@/forms/form-select';
import { useServerForm } from '@/forms/use-server-form';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import { FormFooter } from '@/shared/records/record-form-parts';
import { type CustomFieldBody, type CustomFieldDefinition, type CustomFieldEntity } from '../api/custom-fields.api';
import { useSaveCustomField } from '../hooks/use-custom-fields';
import { customValueIssue, valueToString } from './custom-values';

const optionsOf = (text: string) => text.split('\n').map((s) => s.trim()).filter(Boolean);

const schema = z
  .object({
    key: z.string().trim().regex(CUSTOM_FIELD_KEY_PATTERN, { error: 'customField.validation.key' }),
    labelHu: z.string().trim().min(1, { error: 'customField.validation.label' }).max(100, { error: 'validation.tooLong|max=100' }),
    labelEn: z.string().trim().min(1, { error: 'customField.validation.label' }).max(100, { error: 'validation.tooLong|max=100' }),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.string(),
    helpHu: z.string().trim().max(500, { error: 'validation.tooLong|max=500' }),
    helpEn: z.string().trim().max(500, { error: 'validation.tooLong|max=500' }),
    default: z.string(),
    weight: z.number({ error: 'customField.validation.weight' }).int({ error: 'customField.validation.weight' }).min(-10000).max(10000),
    placement: z.string().trim().max(60, { error: 'validation.tooLong|max=60' }),
    required: z.boolean(),
    subtype: z.string(),
  })
  .superRefine((v, ctx) => {
    const options = optionsOf(v.options);
    if (v.type === 'list') {
      if (options.length === 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'customField.validation.options' });
      else if (new Set(options).size !== options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'customField.validation.optionsDistinct' });
    }
    const issue = customValueIssue({ type: v.type, options, required: false } as unknown as CustomFieldDefinition, v.default);
    if (issue) ctx.addIssue({ code: 'custom', path: ['default'], message: issue });
  });

const FORM_FIELD_OF: Record<string, string> = {
  key: 'key', 'label.hu': 'labelHu', 'label.en': 'labelEn', label: 'labelHu', type: 'type', options: 'options', 'helpText.hu': 'helpHu',
  'helpText.en': 'helpEn', default: 'default', weight: 'weight', placement: 'placement', required: 'required', subtype: 'subtype',
};
const fieldOf = (path: string) => FORM_FIELD_OF[path] ?? FORM_FIELD_OF[path.split('.')[0] ?? ''];

/** Sections of the company and person forms that a placement can name. */
const BUILT_IN_SECTIONS = ['basics', 'contact', 'address', 'record'];

interface Props {
  opened: boolean;
  onClose: () => void;
  entity: CustomFieldEntity;
  existing?: CustomFieldDefinition;
  placements: string[];
}

function toBody(v: z.output<typeof schema>, entity: CustomFieldEntity, existing?: CustomFieldDefinition): CustomFieldBody {
  const options = optionsOf(v.options);
  const help = { ...(v.helpHu ? { hu: v.helpHu } : {}), ...(v.helpEn ? { en: v.helpEn } : {}) };
  const raw = v.default.trim();
  const def = raw === '' ? null : v.type === 'integer' ? Number(raw) : v.type === 'boolean' ? raw === 'true' : raw;
  const body: CustomFieldBody = {
    label: { hu: v.labelHu, en: v.labelEn },
    weight: v.weight,
    required: v.required,
    placement: v.placement || null,
    helpText: Object.keys(help).length ? help : null,
    default: def,
    subtype: entity === 'company' && v.subtype ? v.subtype : null,
    ...(v.type === 'list' ? { options } : {}),
  };
  if (!existing) {
    body.entity = entity;
    body.key = v.key;
    body.type = v.type;
  }
  return body;
}

function CustomFieldForm({ onClose, entity, existing, placements }: Omit<Props, 'opened'>) {
  const { t } = useI18n();
  const save = useSaveCustomField();
  const {
    register,
    control,
    errorText,
    onSubmit,
    formState: { isSubmitting },
  } = useServerForm({
    schema,
    fieldOf,
    save: async (v) => {
      await save.mutateAsync({ existing, body: toBody(v, entity, existing) });
      onClose();
    },
    defaultValues: existing
      ? {
          key: existing.key,
          labelHu: existing.label.hu,
          labelEn: existing.label.en,
          type: existing.type,
          options: (existing.options ?? []).join('\n'),
          helpHu: existing.helpText?.hu ?? '',
          helpEn: existing.helpText?.en ?? '',
          default: valueToString(existing.default),
          weight: existing.weight,
          placement: existing.placement ?? '',
          required: existing.required,
          subtype: existing.subtype ?? '',
        }
      : { key: '', labelHu: '', labelEn: '', type: 'text', options: '', helpHu: '', helpEn: '', default: '', weight: 0, placement: '', required: false, subtype: '' },
  });
  const type = useWatch({ control, name: 'type' });
  const options = optionsOf(useWatch({ control, name: 'options' }));

  return (
    <form onSubmit={onSubmit} noValidate data-testid="cf-form">
      <Stack>
        {save.error && <ProblemAlert error={save.error} hideFieldErrors={(p) => !!fieldOf(p)} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('customField.field.key')}
            description={t('customField.keyHelp')}
            withAsterisk
            disabled={!!existing}
            {...register('key')}
            error={errorText('key')}
            data-testid="cf-form-key"
          />
          <FormSelect
            control={control}
            name="type"
            fallback="text"
            label={t('customField.field.type')}
            data={CUSTOM_FIELD_TYPES.map((x) => ({ value: x, label: t(`customField.type.${x}` as MessageKey) }))}
            disabled={!!existing}
            description={existing ? t('customField.typeFixed') : undefined}
            error={errorText('type')}
            data-testid="cf-form-type"
          />
          <TextInput label={t('customField.field.labelHu')} withAsterisk {...register('labelHu')} error={errorText('labelHu')} data-testid="cf-form-label-hu" />
          <TextInput label={t('customField.field.labelEn')} withAsterisk {...register('labelEn')} error={errorText('labelEn')} data-testid="cf-form-label-en" />
        </SimpleGrid>
        {type === 'list' && (
          <Textarea
            label={t('customField.field.options')}
            description={t('customField.optionsHelp')}
            withAsterisk
            autosize
            minRows={3}
            {...register('options')}
            error={errorText('options')}
            data-testid="cf-form-options"
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Textarea label={t('customField.field.helpHu')} autosize minRows={2} {...register('helpHu')} error={errorText('helpHu')} data-testid="cf-form-help-hu" />
          <Textarea label={t('customField.field.helpEn')} autosize minRows={2} {...register('helpEn')} error={errorText('helpEn')} data-testid="cf-form-help-en" />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Controller
            control={control}
            name="default"
            render={({ field }) =>
              type === 'boolean' || type === 'list' ? (
                <Select
                  label={t('customField.field.default')}
                  data={
                    type === 'boolean'
                      ? [
                          { value: 'true', label: t('app.yes') },
                          { value: 'false', label: t('app.no') },
                        ]
                      : options.map((o) => ({ value: o, label: o }))
                  }
                  value={field.value || null}
                  onChange={(v) => field.onChange(v ?? '')}
                  clearable
                  error={errorText('default')}
                  data-testid="cf-form-default"
                />
              ) : (
                <TextInput
                  label={t('customField.field.default')}
                  type={type === 'date' ? 'date' : undefined}
                  inputMode={type === 'integer' ? 'numeric' : undefined}
                  value={field.value}
                  onChange={field.onChange}
                  error={errorText('default')}
                  data-testid="cf-form-default"
                />
              )
            }
          />
          <Controller
            control={control}
            name="weight"
            render={({ field }) => (
              <NumberInput
                label={t('customField.field.weight')}
                description={t('customField.weightHelp')}
                value={field.value}
                onChange={(v) => field.onChange(typeof v === 'number' ? v : Number.NaN)}
                allowDecimal={false}
                error={errorText('weight')}
                data-testid="cf-form-weight"
              />
            )}
          />
          <Controller
            control={control}
            name="placement"
            render={({ field }) => (
              <Autocomplete
                label={t('customField.field.placement')}
                description={t('customField.placementHelp')}
                data={[...new Set([...BUILT_IN_SECTIONS.filter((s) => entity === 'company' || s !== 'address'), ...placements])]}
                value={field.value}
                onChange={field.onChange}
                error={errorText('placement')}
                data-testid="cf-form-placement"
              />
            )}
          />
        </SimpleGrid>
        <Group align="flex-end">
          {entity === 'company' && (
            <FormSelect
              control={control}
              name="subtype"
              label={t('customField.field.subtype')}
              placeholder={t('customField.subtypeAll')}
              data={COMPANY_KINDS.map((k) => ({ value: k, label: t(`company.kind.${k}`) }))}
              clearable
              error={errorText('subtype')}
              data-testid="cf-form-subtype"
              w={260}
            />
          )}
          <Controller
            control={control}
            name="required"
            render={({ field }) => (
              <Switch
                label={t('customField.field.required')}
                checked={field.value}
                onChange={(e) => field.onChange(e.currentTarget.checked)}
                mb={8}
                data-testid="cf-form-required"
              />
            )}
          />
        </Group>
        <FormFooter submitting={isSubmitting} onCancel={onClose} testIdPrefix="cf-form" />
      </Stack>
    </form>
  );
}

export function CustomFieldFormModal({ opened, ...rest }: Props) {
  const { t } = useI18n();
  return (
    <Modal opened={opened} onClose={rest.onClose} title={rest.existing ? t('customField.edit') : t('customField.new')} size="xl" data-testid="cf-modal">
      {opened && <CustomFieldForm {...rest} />}
    </Modal>
  );
}
