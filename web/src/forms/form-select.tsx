'use client';

import { Select, type SelectProps } from '@mantine/core';
import { Controller, type Control, type FieldValues, type Path } from 'react-hook-form';

type Props<T extends FieldValues> = Omit<SelectProps, 'value' | 'onChange' | 'onBlur'> & {
  control: Control<T>;
  name: Path<T>;
  /** A value the field always has (nothing to deselect; this one if the select answers none); without it, empty is ''. */
  fallback?: string;
  'data-testid'?: string;
};

/** A select bound to a form field: one of its options, or '' for none (or `fallback` where one is required). */
export function FormSelect<T extends FieldValues>({ control, name, fallback, ...select }: Props<T>) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field: f }) =>
        fallback === undefined ? (
          <Select {...select} value={f.value || null} onChange={(v) => f.onChange(v ?? '')} onBlur={f.onBlur} />
        ) : (
          <Select {...select} value={f.value} onChange={(v) => f.onChange(v ?? fallback)} onBlur={f.onBlur} allowDeselect={false} />
        )
      }
    />
  );
}
