'use client';

import { Alert, List } from '@mantine/core';
import { useI18n } from '@/i18n/i18n-provider';
import { ApiError } from './api-error';

interface Props {
  error: unknown;
  title?: string;
  /** Field errors already shown beside their inputs; listed here only when not. */
  hideFieldErrors?: (path: string) => boolean;
}

/** Shows a failed call: the problem's detail and its field errors, or a network message. */
export function ProblemAlert({ error, title, hideFieldErrors }: Props) {
  const { t } = useI18n();
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  const heading = title ?? (apiError && !apiError.isNetwork ? apiError.problem.title : undefined);
  const detail = apiError
    ? apiError.isNetwork
      ? t('error.network')
      : (apiError.problem.detail ?? t('error.generic', { status: apiError.status }))
    : error instanceof Error
      ? error.message
      : String(error);
  const fieldErrors = (apiError?.fieldErrors ?? []).filter((e) => !hideFieldErrors?.(e.path));
  return (
    <Alert color="red" title={heading} data-testid="problem-alert" role="alert">
      {detail}
      {fieldErrors.length > 0 && (
        <>
          <div>{t('error.fields')}</div>
          <List size="sm">
            {fieldErrors.map((e) => (
              <List.Item key={`${e.path}:${e.message}`}>
                <code>{e.path}</code>: {e.message}
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Alert>
  );
}
