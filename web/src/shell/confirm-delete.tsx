'use client';

import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ProblemAlert } from '@/api/problem-alert';
import { useI18n } from '@/i18n/i18n-provider';

interface Props {
  opened: boolean;
  onClose: () => void;
  title: string;
  message: string;
  /** Deletes; a failure is shown in the dialog (e.g. a 412 offers to reload). */
  onConfirm: () => Promise<void>;
  onReload?: () => void;
}

/** Asks before deleting a record. */
export function ConfirmDelete({ opened, onClose, title, message, onConfirm, onReload }: Props) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={title} data-testid="confirm-delete">
      <Stack>
        <Text>{message}</Text>
        <ProblemAlert
          error={error}
          onReload={
            onReload &&
            (() => {
              close();
              onReload();
            })
          }
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('app.cancel')}
          </Button>
          <Button
            color="red"
            loading={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await onConfirm();
                close();
              } catch (e) {
                setError(e);
              } finally {
                setBusy(false);
              }
            }}
            data-testid="confirm-delete-submit"
          >
            {t('app.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
