'use client';

import { get, type FieldErrors, type FieldValues } from 'react-hook-form';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';

/**
 * The message of a form field's error: client-side messages are catalogue keys (with optional
 * `|param=value` parts, digits passed as numbers), server messages are shown as the server wrote them.
 */
export function useErrorText<T extends FieldValues>(errors: FieldErrors<T>) {
  const { t } = useI18n();
  return (name: string): string | undefined => {
    const error = get(errors, name) as { message?: string; type?: string } | undefined;
    if (!error?.message) return undefined;
    if (error.type === 'server') return error.message;
    const [key, ...params] = error.message.split('|');
    // numbers as numbers, so that ICU plurals can choose their form by them
    const values = Object.fromEntries(
      params.map((p) => {
        const [name, value = ''] = p.split('=') as [string, string?];
        return [name, /^\d+$/.test(value) ? Number(value) : value];
      }),
    );
    return t(key as MessageKey, values);
  };
}
