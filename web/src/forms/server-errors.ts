import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from '@/api/api-error';

/** A server error path as a form field name: `body.emails.0.address` or `/emails/0/address` → `emails.0.address`. */
export function normalizeErrorPath(path: string): string {
  return path.replace(/^\//, '').replaceAll('/', '.').replace(/^body\./, '');
}

/**
 * Puts the field errors of a failed save beside their inputs. `fieldOf` maps a server path to the
 * form's field name, or undefined when the form has no input for it (the alert lists those).
 */
export function applyServerErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fieldOf: (path: string) => string | undefined,
): void {
  if (!(error instanceof ApiError)) return;
  let first = true;
  for (const fe of error.fieldErrors) {
    const field = fieldOf(normalizeErrorPath(fe.path));
    if (!field) continue;
    setError(field as Path<T>, { type: 'server', message: fe.message }, { shouldFocus: first });
    first = false;
  }
}
