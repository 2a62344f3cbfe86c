'use client';

import { Alert, Button, List, Text } from '@mantine/core';
import { useI18n } from '@/i18n/i18n-provider';
import { ApiError } from './api-error';

interface Props {
  error: unknown;
  title?: string;
  /** Field errors already shown beside their inputs; listed here only when not. */
  hideFieldErrors?: (path: string) => boolean;
  /** Offered on a 412 (the record changed since it was loaded): reloads it. */
  onReload?: () => void;
}

/** The record was changed by someone else since it was loaded (If-Match did not match). */
export const isStale = (error: unknown) => error instanceof ApiError && error.status === 412;

/**
 * Shows a failed call: the problem's detail and its field errors, or a network message. A 412 says
 * that someone changed the record and offers to reload it; a 403 says the action is not allowed.
 */
export function ProblemAlert({ error, title, hideFieldErrors, onReload }: Props) {
  const { t } = useI18n();
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  if (apiError?.status === 412) {
    return (
      <Alert color="orange" title={t('error.staleTitle')} data-testid="stale-alert" role="alert">
        <Text size="sm">{t('error.stale')}</Text>
        {onReload && (
          <Button size="xs" mt="sm" variant="light" onClick={onReload} data-testid="stale-reload">
            {t('error.reload')}
          </Button>
        )}
      </Alert>
    );
  }
  const heading =
    title ??
    (apiError?.status === 403 ? t('error.forbiddenTitle') : apiError && !apiError.isNetwork ? apiError.problem.title : undefined);
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
