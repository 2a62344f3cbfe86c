'use client';

import { notifications } from '@mantine/notifications';

/** The message of a failure, for a notification. */
export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Tells a failure in a red notification under its title. */
export function notifyFailure(title: string, error: unknown): void {
  notifications.show({ color: 'red', title, message: errorMessage(error) });
}

/** Callbacks of a mutation run from a button: a green notification when it succeeds, a red one when it fails. */
export function notifyOutcome(success: () => string, failureTitle: string) {
  return {
    onSuccess: () => notifications.show({ color: 'green', message: success() }),
    onError: (error: unknown) => notifyFailure(failureTitle, error),
  };
}
