'use client';

import { Badge, Button, Center, Group, Loader, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useApi } from '@/api/api-provider';
import { ProblemAlert } from '@/api/problem-alert';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { personName } from '@/features/persons/components/person-name';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { listDuplicates, type DuplicateEntity, type DuplicateSide } from '../api/duplicates.api';

/** Likely duplicate pairs (P8), best first; each opens the merge page. */
export function DuplicateList() {
  const { t, locale } = useI18n();
  const fmt = useFormat();
  const api = useApi();
  const ownerName = useUserNames();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const entity: DuplicateEntity = params.get('entity') === 'person' ? 'person' : 'company';
  const list = useInfiniteQuery({
    queryKey: ['duplicates', entity],
    queryFn: ({ pageParam, signal }) => listDuplicates(api, entity, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 0,
  });
  const pairs = list.data?.pages.flatMap((p) => p.items) ?? [];
  const base = entity === 'company' ? '/companies' : '/persons';

  const side = (s: DuplicateSide) => (
    <Stack gap={0}>
      <Link href={`${base}/${s.id}`}>{entity === 'person' && s.familyName !== undefined ? personName({ familyName: s.familyName, givenName: s.givenName ?? '' }, locale) : s.name}</Link>
      <Text size="xs" c="dimmed">
        {entity === 'company'
          ? [s.taxNumber, s.registrationNumber, s.city].filter(Boolean).join(' · ')
          : (s.emails ?? []).join(', ')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('company.field.owner')}: {ownerName(s.ownerId)}
      </Text>
    </Stack>
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('nav.duplicates')}</Title>
        <SegmentedControl
          value={entity}
          onChange={(v) => router.replace(`${pathname}?entity=${v}`)}
          data={[
            { value: 'company', label: t('nav.companies') },
            { value: 'person', label: t('nav.persons') },
          ]}
          data-testid="duplicates-entity"
        />
      </Group>
      <Text c="dimmed" size="sm">
        {t('duplicates.help')}
      </Text>
      {list.error && <ProblemAlert error={list.error} />}
      <Table striped data-testid="duplicates-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('duplicates.recordA')}</Table.Th>
            <Table.Th>{t('duplicates.recordB')}</Table.Th>
            <Table.Th>{t('duplicates.reasons')}</Table.Th>
            <Table.Th>{t('duplicates.score')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pairs.map((p) => (
            <Table.Tr key={`${p.a.id}:${p.b.id}`} data-testid="duplicate-row">
              <Table.Td>{side(p.a)}</Table.Td>
              <Table.Td>{side(p.b)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {p.reasons.map((r) => (
                    <Badge key={r} variant="light" color={r === 'name' ? 'gray' : 'orange'}>
                      {t(`duplicates.reason.${r}`)}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{fmt.percent(p.score)}</Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  component={Link}
                  href={`/duplicates/merge?entity=${entity}&survivor=${p.a.id}&merged=${p.b.id}`}
                  data-testid="duplicate-merge"
                >
                  {t('duplicates.merge')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.isPending && (
        <Center>
          <Loader size="sm" />
        </Center>
      )}
      {list.isSuccess && pairs.length === 0 && (
        <Text c="dimmed" ta="center" data-testid="duplicates-empty">
          {t('duplicates.empty')}
        </Text>
      )}
      {list.hasNextPage && (
        <Center>
          <Button variant="light" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('companies.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
