'use client';

import { Select, SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { Controller, type Control, type FieldValues, type Path } from 'react-hook-form';
import { useI18n } from '@/i18n/i18n-provider';
import type { CustomFieldDefinition } from '../api/custom-fields.api';
import { fieldHelp, fieldLabel } from './custom-values';

interface Props<T extends FieldValues> {
  fields: CustomFieldDefinition[];
  control: Control<T>;
  errorText: (name: string) => string | undefined;
  /** data-testid prefix: inputs get `<prefix>-custom.<key>`. */
  testIdPrefix: string;
  cols?: number;
}

/**
 * Inputs of custom fields (values under `custom.<key>` of the form, as strings): label in the UI
 * language, help text, required mark, list options, native date picker.
 */
export function CustomFieldInputs<T extends FieldValues>({ fields, control, errorText, testIdPrefix, cols = 2 }: Props<T>) {
  const { t, locale } = useI18n();
  if (fields.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 1, sm: cols }}>
      {fields.map((d) => {
        const name = `custom.${d.key}` as Path<T>;
        const common = {
          label: fieldLabel(d, locale),
          description: fieldHelp(d, locale),
          withAsterisk: d.required,
          error: errorText(name),
          'data-testid': `${testIdPrefix}-custom.${d.key}`,
        };
        return (
          <Controller
            key={d.id}
            control={control}
            name={name}
            render={({ field }) => {
              const value = typeof field.value === 'string' ? field.value : '';
              switch (d.type) {
                case 'textarea':
                  return <Textarea {...common} autosize minRows={2} maxRows={8} value={value} onChange={field.onChange} onBlur={field.onBlur} ref={field.ref} />;
                case 'integer':
                  return <TextInput {...common} inputMode="numeric" value={value} onChange={field.onChange} onBlur={field.onBlur} ref={field.ref} />;
                case 'date':
                  return <TextInput {...common} type="date" value={value} onChange={field.onChange} onBlur={field.onBlur} ref={field.ref} />;
                case 'boolean':
                  return (
                    <Select
                      {...common}
                      data={[
                        { value: 'true', label: t('app.yes') },
                        { value: 'false', label: t('app.no') },
                      ]}
                      value={value || null}
                      onChange={(v) => field.onChange(v ?? '')}
                      onBlur={field.onBlur}
                      clearable={!d.required}
                      placeholder={t('customField.choose')}
                    />
                  );
                case 'list':
                  return (
                    <Select
                      {...common}
                      data={(d.options ?? []).map((o) => ({ value: o, label: o }))}
                      value={value || null}
                      onChange={(v) => field.onChange(v ?? '')}
                      onBlur={field.onBlur}
                      clearable={!d.required}
                      searchable={(d.options ?? []).length > 8}
                      placeholder={t('customField.choose')}
                    />
                  );
                default:
                  return <TextInput {...common} value={value} onChange={field.onChange} onBlur={field.onBlur} ref={field.ref} />;
              }
            }}
          />
        );
      })}
    </SimpleGrid>
  );
}
