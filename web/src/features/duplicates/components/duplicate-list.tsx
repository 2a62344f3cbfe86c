'use client';

import { Badge, Button, Group, SegmentedControl, Stack, Tabs, Title } from '@mantine/core';
import type { DuplicateEntity, DuplicatePair } from '@kapocs/contracts';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { notifyOutcome } from '@/shell/notify';
import { useDismissDuplicate, useDuplicatePairs } from '../hooks/use-duplicate-dismissals';
import { DismissedPairs } from './dismissed-pairs';
import { useSideName } from './pair-side';
import { PairsTable } from './pairs-table';

type View = 'pairs' | 'dismissed';

/** Likely duplicate pairs (P8), best first; each opens the merge page or is dismissed as not a duplicate. */
export function DuplicateList() {
  const { t } = useI18n();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const entity: DuplicateEntity = params.get('entity') === 'person' ? 'person' : 'company';
  const view: View = params.get('view') === 'dismissed' ? 'dismissed' : 'pairs';
  const go = (next: { entity?: DuplicateEntity; view?: View }) => {
    const v = next.view ?? view;
    router.replace(`${pathname}?entity=${next.entity ?? entity}${v === 'dismissed' ? '&view=dismissed' : ''}`);
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('nav.duplicates')}</Title>
        <SegmentedControl
          value={entity}
          onChange={(v) => go({ entity: v === 'person' ? 'person' : 'company' })}
          data={[
            { value: 'company', label: t('nav.companies') },
            { value: 'person', label: t('nav.persons') },
          ]}
          data-testid="duplicates-entity"
        />
      </Group>
      <Tabs value={view} onChange={(v) => go({ view: v === 'dismissed' ? 'dismissed' : 'pairs' })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="pairs" data-testid="duplicates-tab-pairs">
            {t('duplicates.tab.pairs')}
          </Tabs.Tab>
          <Tabs.Tab value="dismissed" data-testid="duplicates-tab-dismissed">
            {t('duplicates.tab.dismissed')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="pairs" pt="md">
          <LikelyPairs entity={entity} />
        </Tabs.Panel>
        <Tabs.Panel value="dismissed" pt="md">
          <DismissedPairs entity={entity} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function LikelyPairs({ entity }: { entity: DuplicateEntity }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const nameOf = useSideName(entity);
  const list = useDuplicatePairs(entity);
  const dismiss = useDismissDuplicate(entity);

  return (
    <PairsTable<DuplicatePair>
      entity={entity}
      help={t('duplicates.help')}
      list={list}
      rowKey={(p) => `${p.a.id}:${p.b.id}`}
      testIdPrefix="duplicates"
      rowTestId="duplicate-row"
      emptyText={t('duplicates.empty')}
      columns={[
        {
          key: 'reasons',
          header: t('duplicates.reasons'),
          cell: (p) => (
            <Group gap={4}>
              {p.reasons.map((r) => (
                <Badge key={r} variant="light" color={r === 'name' ? 'gray' : 'orange'}>
                  {t(`duplicates.reason.${r}`)}
                </Badge>
              ))}
            </Group>
          ),
        },
        { key: 'score', header: t('duplicates.score'), cell: (p) => fmt.percent(p.score) },
        {
          key: 'actions',
          cell: (p) => (
            <Group gap="xs" wrap="nowrap" justify="flex-end">
              <Button
                size="xs"
                component={Link}
                href={`/duplicates/merge?entity=${entity}&survivor=${p.a.id}&merged=${p.b.id}`}
                data-testid="duplicate-merge"
              >
                {t('duplicates.merge')}
              </Button>
              <Button
                size="xs"
                variant="default"
                title={t('duplicates.dismissTitle')}
                loading={dismiss.isPending && dismiss.variables === p}
                onClick={() =>
                  dismiss.mutate(p, notifyOutcome(() => t('duplicates.dismissed', { a: nameOf(p.a), b: nameOf(p.b) }), t('duplicates.dismissFailed')))
                }
                data-testid="duplicate-dismiss"
              >
                {t('duplicates.dismiss')}
              </Button>
            </Group>
          ),
        },
      ]}
    />
  );
}
