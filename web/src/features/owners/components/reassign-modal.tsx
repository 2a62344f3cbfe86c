'use client';

import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { ReassignResult } from '@kapocs/contracts';
import { ProblemAlert } from '@/api/problem-alert';
import { useUserOptions } from '@/features/directory/hooks/use-directory';
import { useI18n } from '@/i18n/i18n-provider';

interface Props {
  opened: boolean;
  count: number;
  onClose: () => void;
  /** Hands the selected records to the chosen user; answers how many were updated and how many not found. */
  onReassign: (ownerId: string) => Promise<ReassignResult>;
  onDone: (result: { updated: number; notFound: number; unchanged: number }) => void;
}

/** Picks the new owner of the selected records (P4: managers, directors and admins). */
export function ReassignModal({ opened, count, onClose, onReassign, onDone }: Props) {
  const { t } = useI18n();
  const users = useUserOptions();
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!ownerId) return;
    setBusy(true);
    setError(null);
    try {
      const result = await onReassign(ownerId);
      onDone({ updated: result.updated, notFound: result.notFound.length, unchanged: result.unchanged.length });
      setOwnerId(null);
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('owners.reassign.title')} data-testid="reassign-modal">
      <Stack>
        <Text size="sm">{t('owners.reassign.body', { count })}</Text>
        <ProblemAlert error={error} />
        <Select
          label={t('owners.reassign.newOwner')}
          description={t('owners.departmentFollows')}
          data={users}
          value={ownerId}
          onChange={setOwnerId}
          searchable
          data-testid="reassign-owner"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('app.cancel')}
          </Button>
          <Button onClick={() => void submit()} disabled={!ownerId} loading={busy} data-testid="reassign-submit">
            {t('owners.reassign.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
