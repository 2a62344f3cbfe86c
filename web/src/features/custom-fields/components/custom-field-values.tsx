'use client';

import { SimpleGrid } from '@mantine/core';
import { DetailField } from '@/shell/detail-field';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import type { CustomFieldDefinition } from '../api/custom-fields.api';
import { fieldLabel, formatCustomValue } from './custom-values';

/** Custom values of a record for reading, in the definitions' order. */
export function CustomFieldValues({ fields, values, cols = 3 }: { fields: CustomFieldDefinition[]; values: Record<string, unknown>; cols?: number }) {
  const { t, locale } = useI18n();
  const fmt = useFormat();
  if (fields.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 1, sm: cols }} mt="sm">
      {fields.map((d) => (
        <DetailField key={d.id} label={fieldLabel(d, locale)} testId={`custom-value-${d.key}`}>
          {formatCustomValue(d, values[d.key], t, fmt)}
        </DetailField>
      ))}
    </SimpleGrid>
  );
}
