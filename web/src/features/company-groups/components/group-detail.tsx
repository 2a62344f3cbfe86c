'use client';

import { Card, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { AuditTrail } from '@/features/audit/components/audit-trail';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { ConfirmDelete } from '@/shell/confirm-delete';
import { DataTable } from '@/shell/data-table';
import { DetailField } from '@/shell/detail-field';
import { BackLink, RecordDetailHeader, RecordDetailPlaceholder } from '@/shared/records/record-detail';
import type { GroupMember } from '../api/company-groups.api';
import { useCompanyGroup, useDeleteCompanyGroup } from '../hooks/use-company-groups';
import { GroupFormModal } from './group-form-modal';
import { useGroupMemberColumns } from './group-member-columns';

/** A company group (P2): its members (companies join it from their own page) and its audit trail. */
export function GroupDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const router = useRouter();
  const ownerName = useUserNames();
  const columns = useGroupMemberColumns();
  const query = useCompanyGroup(id);
  const remove = useDeleteCompanyGroup();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const back = <BackLink href="/company-groups" label={t('group.back')} />;
  if (query.isPending || query.error) {
    return <RecordDetailPlaceholder loading={query.isPending} error={query.error} back={back} notFoundText={t('group.notFound')} />;
  }
  const g = query.data;
  const labels: Record<string, string> = {
    name: t('group.field.name'),
    description: t('group.field.description'),
    ownerId: t('company.field.owner'),
    departmentId: t('company.field.department'),
  };
  return (
    <Stack data-testid="group-detail">
      {back}
      <RecordDetailHeader
        title={
          <Title order={2} data-testid="group-name">
            {g.name}
          </Title>
        }
        editing={false}
        onEdit={() => setEditing(true)}
        onDelete={() => setDeleting(true)}
        testIdPrefix="group"
      />
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <DetailField label={t('group.field.description')}>{g.description}</DetailField>
          <DetailField label={t('company.field.owner')}>{ownerName(g.ownerId)}</DetailField>
          <DetailField label={t('company.field.updatedAt')}>{fmt.dateTime(g.updatedAt)}</DetailField>
        </SimpleGrid>
      </Card>
      <Tabs defaultValue="members" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="members">
            {t('group.members')} ({g.members.length})
          </Tabs.Tab>
          <Tabs.Tab value="audit">{t('company.tab.audit')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="members" pt="md">
          {g.members.length === 0 ? (
            <Text c="dimmed">{t('group.noMembers')}</Text>
          ) : (
            <DataTable<GroupMember>
              testId="group-members"
              rows={g.members}
              rowKey={(m) => m.id}
              rowProps={() => ({ 'data-testid': 'group-member-row' })}
              columns={[columns.name, columns.kind, columns.status, columns.city, columns.owner]}
            />
          )}
          <Text size="sm" c="dimmed" mt="sm">
            {t('group.membersHelp')}
          </Text>
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="md">
          <AuditTrail recordPath={`/partners/company-groups/${g.id}`} fieldLabel={(f) => labels[f]} />
        </Tabs.Panel>
      </Tabs>
      <GroupFormModal
        opened={editing}
        group={g}
        onClose={() => setEditing(false)}
        onReload={() => {
          setEditing(false);
          void query.refetch();
        }}
        onSaved={(saved) => {
          notifications.show({ color: 'green', message: t('company.form.saved', { name: saved.name }) });
          setEditing(false);
        }}
      />
      <ConfirmDelete
        opened={deleting}
        onClose={() => setDeleting(false)}
        title={t('group.delete.title')}
        message={t('group.delete.body', { name: g.name })}
        onReload={() => void query.refetch()}
        onConfirm={async () => {
          await remove.mutateAsync(g);
          notifications.show({ color: 'green', message: t('company.delete.done', { name: g.name }) });
          router.push('/company-groups');
        }}
      />
    </Stack>
  );
}
