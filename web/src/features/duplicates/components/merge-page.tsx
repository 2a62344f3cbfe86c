'use client';

import { Alert, Anchor, Button, Card, Center, Group, Loader, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { COMPANY_MERGE_FIELDS, type DuplicateEntity, MERGE_CHOICES, type MergeChoice, PERSON_MERGE_FIELDS } from '@kapocs/contracts';
import { useApi } from '@/api/api-provider';
import { ProblemAlert } from '@/api/problem-alert';
import { getCompany, type Company } from '@/features/companies/api/companies.api';
import { fieldLabel, formatCustomValue } from '@/features/custom-fields/components/custom-values';
import { useCustomFields } from '@/features/custom-fields/hooks/use-custom-fields';
import { useMayAssignOwners, useUserNames } from '@/features/directory/hooks/use-directory';
import { getPerson, type Person } from '@/features/persons/api/persons.api';
import { usePersonName } from '@/features/persons/components/person-name';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import { mergeCompanies, mergePersons } from '../api/duplicates.api';

type AnyRecord = (Company | Person) & { custom: Record<string, unknown>; version: number };

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Merge two records (P8): pick the survivor and, per field, whose value it keeps. */
export function MergePage() {
  const { t, locale } = useI18n();
  const fmt = useFormat();
  const api = useApi();
  const router = useRouter();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const ownerName = useUserNames();
  const name = usePersonName();
  const mayMerge = useMayAssignOwners();
  const entity: DuplicateEntity = params.get('entity') === 'person' ? 'person' : 'company';
  const [ids, setIds] = useState({ survivor: params.get('survivor') ?? '', merged: params.get('merged') ?? '' });
  const [choices, setChoices] = useState<Record<string, MergeChoice>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const defs = useCustomFields(entity);

  const load = (id: string) => (signal: AbortSignal) =>
    (entity === 'company' ? getCompany(api, id, signal) : getPerson(api, id, signal)) as Promise<AnyRecord>;
  const survivor = useQuery({ queryKey: ['merge', entity, ids.survivor], queryFn: ({ signal }) => load(ids.survivor)(signal), enabled: !!ids.survivor, staleTime: 0 });
  const merged = useQuery({ queryKey: ['merge', entity, ids.merged], queryFn: ({ signal }) => load(ids.merged)(signal), enabled: !!ids.merged, staleTime: 0 });
  const s = survivor.data;
  const m = merged.data;

  const rows = useMemo(() => {
    if (!s || !m) return [];
    const builtIn = (entity === 'company' ? COMPANY_MERGE_FIELDS : PERSON_MERGE_FIELDS).map((f) => ({
      key: f as string,
      a: (s as unknown as Record<string, unknown>)[f],
      b: (m as unknown as Record<string, unknown>)[f],
    }));
    const customKeys = new Set([...Object.keys(s.custom ?? {}), ...Object.keys(m.custom ?? {})]);
    const custom = [...customKeys].map((k) => ({ key: `custom.${k}`, a: s.custom?.[k], b: m.custom?.[k] }));
    return [...builtIn, ...custom];
  }, [s, m, entity]);

  // defaults as the server's: the survivor's value, or the merged one's where the survivor has none
  useEffect(() => {
    setChoices(Object.fromEntries(rows.map((r) => [r.key, isEmpty(r.a) && !isEmpty(r.b) ? 'merged' : 'survivor'])));
  }, [rows]);

  const label = (key: string): string => {
    if (key.startsWith('custom.')) {
      const d = defs.data?.find((x) => `custom.${x.key}` === key);
      return d ? fieldLabel(d, locale) : key.slice(7);
    }
    return t(`${entity === 'company' ? 'company' : 'person'}.field.${key}` as MessageKey);
  };
  const show = (key: string, v: unknown): ReactNode => {
    if (isEmpty(v)) return <Text span c="dimmed">{t('detail.none')}</Text>;
    if (key === 'ownerId') return ownerName(String(v));
    if (key === 'kind') return t(`company.kind.${String(v)}` as MessageKey);
    if (key === 'status') return t(`company.status.${String(v)}` as MessageKey);
    if (key === 'size') return t(`company.size.${String(v)}` as MessageKey);
    if (key.startsWith('custom.')) {
      const d = defs.data?.find((x) => `custom.${x.key}` === key);
      if (d) return formatCustomValue(d, v, t, fmt);
    }
    return String(v);
  };
  const title = (r: AnyRecord) => ('name' in r ? r.name : name(r as Person));
  const base = entity === 'company' ? '/companies' : '/persons';

  const submit = async () => {
    if (!s || !m) return;
    setBusy(true);
    setError(null);
    const fields = Object.fromEntries(rows.filter((r) => !same(r.a, r.b)).map((r) => [r.key, choices[r.key] ?? 'survivor']));
    const body = { survivorId: s.id, mergedId: m.id, versions: { survivor: s.version, merged: m.version }, fields };
    try {
      const result = entity === 'company' ? await mergeCompanies(api, body) : await mergePersons(api, body);
      await Promise.all(['companies', 'persons', 'duplicates', 'merge'].map((k) => queryClient.invalidateQueries({ queryKey: [k] })));
      const combined = result.combinedEmployments?.length ?? 0;
      const message = t('merge.done', { name: title(s) });
      notifications.show({ color: 'green', message: combined ? `${message} ${t('merge.employmentsCombined', { count: combined })}` : message });
      router.push(`${base}/${s.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!ids.survivor || !ids.merged) return <Alert color="red">{t('merge.missing')}</Alert>;
  if (survivor.isPending || merged.isPending) {
    return (
      <Center mt="xl">
        <Loader />
      </Center>
    );
  }
  if (survivor.error || merged.error) {
    return (
      <Stack>
        <Anchor component={Link} href={`/duplicates?entity=${entity}`}>
          ← {t('merge.back')}
        </Anchor>
        <ProblemAlert error={survivor.error ?? merged.error} />
      </Stack>
    );
  }
  if (!s || !m) return null;

  return (
    <Stack data-testid="merge-page">
      <Anchor component={Link} href={`/duplicates?entity=${entity}`} size="sm">
        ← {t('merge.back')}
      </Anchor>
      <Title order={2}>{t('merge.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('merge.help')}
      </Text>
      {mayMerge === false && <Alert color="yellow">{t('merge.notAllowed')}</Alert>}
      <ProblemAlert
        error={error}
        onReload={() => {
          setError(null);
          void survivor.refetch();
          void merged.refetch();
        }}
      />
      <Card withBorder>
        <Table data-testid="merge-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('merge.field')}</Table.Th>
              <Table.Th>
                {t('merge.survivor')}:{' '}
                <Link href={`${base}/${s.id}`} data-testid="merge-survivor-name">
                  {title(s)}
                </Link>
              </Table.Th>
              <Table.Th>
                {t('merge.merged')}:{' '}
                <Link href={`${base}/${m.id}`} data-testid="merge-merged-name">
                  {title(m)}
                </Link>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => {
              const differs = !same(r.a, r.b);
              return (
                <Table.Tr key={r.key} data-testid="merge-row" data-field={r.key}>
                  <Table.Td fw={600}>{label(r.key)}</Table.Td>
                  {MERGE_CHOICES.map((side) => (
                    <Table.Td key={side}>
                      {differs ? (
                        <Radio
                          name={`merge-${r.key}`}
                          checked={choices[r.key] === side}
                          onChange={() => setChoices((c) => ({ ...c, [r.key]: side }))}
                          label={show(r.key, side === 'survivor' ? r.a : r.b)}
                          data-testid={`merge-choice-${r.key}-${side}`}
                        />
                      ) : (
                        show(r.key, side === 'survivor' ? r.a : r.b)
                      )}
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Text size="sm" c="dimmed" mt="sm">
          {entity === 'company' ? t('merge.unionCompany') : t('merge.unionPerson')}
        </Text>
      </Card>
      <Group>
        <Button variant="default" onClick={() => setIds({ survivor: ids.merged, merged: ids.survivor })} data-testid="merge-swap">
          {t('merge.swap')}
        </Button>
        <Button color="orange" onClick={() => void submit()} loading={busy} data-testid="merge-submit">
          {t('merge.submit', { name: title(s) })}
        </Button>
      </Group>
    </Stack>
  );
}
