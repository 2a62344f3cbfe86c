'use client';

import { Badge, Stack, Text, Title } from '@mantine/core';
import Link from 'next/link';
import { usePersonName } from '@/features/persons/components/person-name';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { DataTable } from '@/shell/data-table';
import { QueryView } from '@/shell/query-view';
import type { CompanyPerson } from '../api/companies.api';
import { useCompanyPersons } from '../hooks/use-companies';

function PeopleTable({ people, testId }: { people: CompanyPerson[]; testId: string }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const name = usePersonName();
  return (
    <DataTable<CompanyPerson>
      testId={testId}
      rows={people}
      rowKey={(p) => p.employmentId}
      rowProps={() => ({ 'data-testid': 'company-person-row' })}
      columns={[
        {
          key: 'name',
          header: t('person.field.name'),
          cell: (p) => (
            <>
              <Link href={`/persons/${p.id}`}>{name(p)}</Link>{' '}
              {p.primary && (
                <Badge size="xs" variant="light">
                  {t('employment.primary')}
                </Badge>
              )}
            </>
          ),
        },
        { key: 'role', header: t('employment.field.role'), cell: (p) => p.role ?? p.position },
        { key: 'email', header: t('person.field.email'), cell: (p) => p.emails[0]?.address },
        { key: 'phone', header: t('person.field.phone'), cell: (p) => p.phones[0]?.number },
        { key: 'from', header: t('employment.field.from'), cell: (p) => fmt.date(p.from) },
        { key: 'to', header: t('employment.field.to'), cell: (p) => fmt.date(p.to) },
      ]}
    />
  );
}

/** The people of a company: who works there now and who used to. */
export function CompanyPeople({ companyId }: { companyId: string }) {
  const { t } = useI18n();
  const query = useCompanyPersons(companyId);
  return (
    <QueryView query={query}>
      {({ current, former }) => (
        <Stack data-testid="company-people">
          <Title order={4}>{t('company.people.current')}</Title>
          {current.length ? <PeopleTable people={current} testId="company-people-current" /> : <Text c="dimmed">{t('company.people.noneCurrent')}</Text>}
          <Title order={4}>{t('company.people.former')}</Title>
          {former.length ? <PeopleTable people={former} testId="company-people-former" /> : <Text c="dimmed">{t('company.people.noneFormer')}</Text>}
        </Stack>
      )}
    </QueryView>
  );
}
