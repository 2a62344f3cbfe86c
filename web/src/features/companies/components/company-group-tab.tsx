'use client';

import { Anchor, Center, Loader, Stack, Table, Text, Title } from '@mantine/core';
import Link from 'next/link';
import { ProblemAlert } from '@/api/problem-alert';
import { useCompanyGroup } from '@/features/company-groups/hooks/use-company-groups';
import { useI18n } from '@/i18n/i18n-provider';
import type { Company } from '../api/companies.api';
import { CompanyKindBadge } from './company-labels';

/** The company's group (P2): a link to it and the other members. */
export function CompanyGroupTab({ company }: { company: Company }) {
  const { t } = useI18n();
  const group = useCompanyGroup(company.groupId);
  if (!company.groupId) {
    return (
      <Text c="dimmed" data-testid="company-no-group">
        {t('company.group.none')}
      </Text>
    );
  }
  if (group.isPending) {
    return (
      <Center p="md">
        <Loader size="sm" />
      </Center>
    );
  }
  if (group.error) return <ProblemAlert error={group.error} />;
  const others = group.data.members.filter((m) => m.id !== company.id);
  return (
    <Stack data-testid="company-group">
      <Title order={4}>
        <Anchor component={Link} href={`/company-groups/${group.data.id}`} data-testid="company-group-link">
          {group.data.name}
        </Anchor>
      </Title>
      {group.data.description && <Text>{group.data.description}</Text>}
      <Text fw={600}>{t('company.group.otherMembers')}</Text>
      {others.length === 0 ? (
        <Text c="dimmed">{t('company.group.noOthers')}</Text>
      ) : (
        <Table>
          <Table.Tbody>
            {others.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>
                  <Link href={`/companies/${m.id}`}>{m.name}</Link>
                </Table.Td>
                <Table.Td>
                  <CompanyKindBadge kind={m.kind} />
                </Table.Td>
                <Table.Td>{m.city}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
