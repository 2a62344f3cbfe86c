'use client';

import { Badge, Center, Loader, Stack, Table, Text, Title } from '@mantine/core';
import Link from 'next/link';
import { ProblemAlert } from '@/api/problem-alert';
import { usePersonName } from '@/features/persons/components/person-name';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import type { CompanyPerson } from '../api/companies.api';
import { useCompanyPersons } from '../hooks/use-companies';

function PeopleTable({ people, testId }: { people: CompanyPerson[]; testId: string }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const name = usePersonName();
  return (
    <Table data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('person.field.name')}</Table.Th>
          <Table.Th>{t('employment.field.role')}</Table.Th>
          <Table.Th>{t('person.field.email')}</Table.Th>
          <Table.Th>{t('person.field.phone')}</Table.Th>
          <Table.Th>{t('employment.field.from')}</Table.Th>
          <Table.Th>{t('employment.field.to')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {people.map((p) => (
          <Table.Tr key={p.employmentId} data-testid="company-person-row">
            <Table.Td>
              <Link href={`/persons/${p.id}`}>{name(p)}</Link>{' '}
              {p.primary && (
                <Badge size="xs" variant="light">
                  {t('employment.primary')}
                </Badge>
              )}
            </Table.Td>
            <Table.Td>{p.role ?? p.position}</Table.Td>
            <Table.Td>{p.emails[0]?.address}</Table.Td>
            <Table.Td>{p.phones[0]?.number}</Table.Td>
            <Table.Td>{fmt.date(p.from)}</Table.Td>
            <Table.Td>{fmt.date(p.to)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The people of a company: who works there now and who used to. */
export function CompanyPeople({ companyId }: { companyId: string }) {
  const { t } = useI18n();
  const query = useCompanyPersons(companyId);
  if (query.isPending) {
    return (
      <Center p="md">
        <Loader size="sm" />
      </Center>
    );
  }
  if (query.error) return <ProblemAlert error={query.error} />;
  const { current, former } = query.data;
  return (
    <Stack data-testid="company-people">
      <Title order={4}>{t('company.people.current')}</Title>
      {current.length ? <PeopleTable people={current} testId="company-people-current" /> : <Text c="dimmed">{t('company.people.noneCurrent')}</Text>}
      <Title order={4}>{t('company.people.former')}</Title>
      {former.length ? <PeopleTable people={former} testId="company-people-former" /> : <Text c="dimmed">{t('company.people.noneFormer')}</Text>}
    </Stack>
  );
}
