'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, type DefaultValues, type FieldValues } from 'react-hook-form';
import type { z } from 'zod';
import { applyServerErrors } from './server-errors';
import { useErrorText } from './use-error-text';

/**
 * A form checked by its zod schema and saved to the gateway: `onSubmit` runs `save` with the parsed values;
 * when the server refuses, its field errors go beside their inputs (`fieldOf` maps a server path to the
 * form's field, or undefined when the form has none: the problem alert lists those).
 */
export function useServerForm<V extends FieldValues, O>({
  schema,
  defaultValues,
  fieldOf,
  save,
}: {
  schema: z.ZodType<O, V>;
  defaultValues: DefaultValues<V>;
  fieldOf: (path: string) => string | undefined;
  save: (values: O) => Promise<void>;
}) {
  const form = useForm<V, unknown, O>({ resolver: zodResolver(schema), defaultValues });
  const errorText = useErrorText(form.formState.errors);
  const onSubmit = form.handleSubmit(async (values) => {
    try {
      await save(values);
    } catch (error) {
      applyServerErrors(error, form.setError, fieldOf);
    }
  });
  return { ...form, errorText, onSubmit };
}
