'use client';

import { Anchor, Button, Card, Center, Group, Loader, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ApiError } from '@/api/api-error';
import { ProblemAlert } from '@/api/problem-alert';
import { AuditTrail } from '@/features/audit/components/audit-trail';
import { CompanyKindBadge, CompanyStatusBadge } from '@/features/companies/components/company-labels';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { ConfirmDelete } from '@/shell/confirm-delete';
import { DetailField } from '@/shell/detail-field';
import { useCompanyGroup, useDeleteCompanyGroup } from '../hooks/use-company-groups';
import { GroupFormModal } from './group-form-modal';

/** A company group (P2): its members (companies join it from their own page) and its audit trail. */
export function GroupDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const router = useRouter();
  const ownerName = useUserNames();
  const query = useCompanyGroup(id);
  const remove = useDeleteCompanyGroup();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const back = (
    <Anchor component={Link} href="/company-groups" size="sm">
      ← {t('group.back')}
    </Anchor>
  );
  if (query.isPending) {
    return (
      <Center mt="xl">
        <Loader />
      </Center>
    );
  }
  if (query.error) {
    return (
      <Stack>
        {back}
        {query.error instanceof ApiError && query.error.status === 404 ? <Text>{t('group.notFound')}</Text> : <ProblemAlert error={query.error} />}
      </Stack>
    );
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
      <Group justify="space-between">
        <Title order={2} data-testid="group-name">
          {g.name}
        </Title>
        <Group>
          <Button variant="default" onClick={() => setEditing(true)} data-testid="group-edit">
            {t('app.edit')}
          </Button>
          <Button color="red" variant="light" onClick={() => setDeleting(true)} data-testid="group-delete">
            {t('app.delete')}
          </Button>
        </Group>
      </Group>
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
            <Table data-testid="group-members">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('company.field.name')}</Table.Th>
                  <Table.Th>{t('company.field.kind')}</Table.Th>
                  <Table.Th>{t('company.field.status')}</Table.Th>
                  <Table.Th>{t('company.field.city')}</Table.Th>
                  <Table.Th>{t('company.field.owner')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {g.members.map((m) => (
                  <Table.Tr key={m.id} data-testid="group-member-row">
                    <Table.Td>
                      <Link href={`/companies/${m.id}`}>{m.name}</Link>
                    </Table.Td>
                    <Table.Td>
                      <CompanyKindBadge kind={m.kind} />
                    </Table.Td>
                    <Table.Td>
                      <CompanyStatusBadge status={m.status} />
                    </Table.Td>
                    <Table.Td>{m.city}</Table.Td>
                    <Table.Td>{ownerName(m.ownerId)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
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
