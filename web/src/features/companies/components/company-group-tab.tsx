'use client';

import { Anchor, Stack, Text, Title } from '@mantine/core';
import Link from 'next/link';
import type { GroupMember } from '@/features/company-groups/api/company-groups.api';
import { useGroupMemberColumns } from '@/features/company-groups/components/group-member-columns';
import { useCompanyGroup } from '@/features/company-groups/hooks/use-company-groups';
import { useI18n } from '@/i18n/i18n-provider';
import { DataTable } from '@/shell/data-table';
import { QueryView } from '@/shell/query-view';
import type { Company } from '../api/companies.api';

/** The company's group (P2): a link to it and the other members. */
export function CompanyGroupTab({ company }: { company: Company }) {
  const { t } = useI18n();
  const group = useCompanyGroup(company.groupId);
  const columns = useGroupMemberColumns();
  if (!company.groupId) {
    return (
      <Text c="dimmed" data-testid="company-no-group">
        {t('company.group.none')}
      </Text>
    );
  }
  return (
    <QueryView query={group}>
      {(g) => {
        const others = g.members.filter((m) => m.id !== company.id);
        return (
          <Stack data-testid="company-group">
            <Title order={4}>
              <Anchor component={Link} href={`/company-groups/${g.id}`} data-testid="company-group-link">
                {g.name}
              </Anchor>
            </Title>
            {g.description && <Text>{g.description}</Text>}
            <Text fw={600}>{t('company.group.otherMembers')}</Text>
            {others.length === 0 ? (
              <Text c="dimmed">{t('company.group.noOthers')}</Text>
            ) : (
              <DataTable<GroupMember> noHeader rows={others} rowKey={(m) => m.id} columns={[columns.name, columns.kind, columns.city]} />
            )}
          </Stack>
        );
      }}
    </QueryView>
  );
}
