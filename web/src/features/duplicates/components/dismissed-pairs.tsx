'use client';

import { Button } from '@mantine/core';
import type { DuplicateDismissal, DuplicateEntity } from '@kapocs/contracts';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { useDismissalList, useUndoDismissal } from '../hooks/use-duplicate-dismissals';
import { notifyOutcome } from '@/shell/notify';
import { PairsTable } from './pairs-table';

/** Pairs users said are not duplicates, newest first; each can be undone (the pair shows in the list again). */
export function DismissedPairs({ entity }: { entity: DuplicateEntity }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const userName = useUserNames();
  const list = useDismissalList(entity);
  const undo = useUndoDismissal(entity);

  return (
    <PairsTable<DuplicateDismissal>
      entity={entity}
      help={t('duplicates.dismissedHelp')}
      list={list}
      rowKey={(d) => `${d.aId}:${d.bId}`}
      testIdPrefix="dismissals"
      rowTestId="dismissal-row"
      emptyText={t('duplicates.dismissedEmpty')}
      columns={[
        { key: 'by', header: t('duplicates.dismissedBy'), cell: (d) => userName(d.dismissedBy) },
        { key: 'at', header: t('duplicates.dismissedAt'), cell: (d) => fmt.dateTime(d.dismissedAt) },
        {
          key: 'undo',
          cell: (d) => (
            <Button
              size="xs"
              variant="light"
              loading={undo.isPending && undo.variables?.aId === d.aId && undo.variables.bId === d.bId}
              onClick={() => undo.mutate(d, notifyOutcome(() => t('duplicates.undone'), t('duplicates.undoFailed')))}
              data-testid="dismissal-undo"
            >
              {t('duplicates.undo')}
            </Button>
          ),
        },
      ]}
    />
  );
}
