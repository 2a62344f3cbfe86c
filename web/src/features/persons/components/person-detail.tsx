'use client';

import { Anchor, Button, Card, Center, Group, Loader, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ApiError } from '@/api/api-error';
import { ProblemAlert } from '@/api/problem-alert';
import { AuditTrail } from '@/features/audit/components/audit-trail';
import { ExternalIdsTable } from '@/features/external-ids/components/external-ids-table';
import { CustomFieldValues } from '@/features/custom-fields/components/custom-field-values';
import { applicableFields, fieldLabel, fieldsBySection } from '@/features/custom-fields/components/custom-values';
import { useCustomFields } from '@/features/custom-fields/hooks/use-custom-fields';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { useMergedRedirect } from '@/features/duplicates/hooks/use-merged-redirect';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import { ConfirmDelete } from '@/shell/confirm-delete';
import { DetailField } from '@/shell/detail-field';
import { useDeletePerson, usePerson } from '../hooks/use-persons';
import { EmploymentsEditor } from './employments-editor';
import { PERSON_SECTIONS, PersonForm } from './person-form';
import { usePersonName } from './person-name';

const PERSON_FIELDS = new Set(['familyName', 'givenName', 'title', 'position', 'emails', 'phones', 'ownerId', 'departmentId', 'employments']);

export function PersonDetail({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const fmt = useFormat();
  const router = useRouter();
  const name = usePersonName();
  const ownerName = useUserNames();
  const query = usePerson(id);
  const defs = useCustomFields('person');
  const remove = useDeletePerson();
  const [tab, setTab] = useState<string | null>('details');
  const [editing, setEditing] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const [deleting, setDeleting] = useState(false);
  const merged = useMergedRedirect(query.error, '/persons');

  const back = (
    <Anchor component={Link} href="/persons" size="sm">
      ← {t('person.detail.back')}
    </Anchor>
  );
  if (query.isPending || merged) {
    return (
      <Center mt="xl">
        <Loader />
      </Center>
    );
  }
  if (query.error) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Stack>
        {back}
        {notFound ? <Text data-testid="person-not-found">{t('person.detail.notFound')}</Text> : <ProblemAlert error={query.error} />}
      </Stack>
    );
  }
  const p = query.data;
  const reload = async () => {
    await query.refetch();
    setFormKey((k) => k + 1);
  };
  const sections = fieldsBySection(applicableFields(defs.data ?? []));
  const own = [...sections.entries()].filter(([s]) => !(PERSON_SECTIONS as readonly (string | null)[]).includes(s));
  const fieldLabelOf = (field: string) => {
    if (field.startsWith('custom.')) {
      const d = defs.data?.find((x) => `custom.${x.key}` === field);
      return d ? fieldLabel(d, locale) : field.slice(7);
    }
    if (field.startsWith('employments.')) {
      // `employments.<id>` or `employments.<id>.<field>`
      const [, employmentId, leaf] = field.split('.');
      const e = p.employments.find((x) => x.id === employmentId);
      const what = e?.companyName ? `${t('person.field.employments')} (${e.companyName})` : t('person.field.employments');
      return leaf && ['role', 'from', 'to', 'primary'].includes(leaf) ? `${what}: ${t(`employment.field.${leaf}` as MessageKey)}` : what;
    }
    return PERSON_FIELDS.has(field) ? t(`person.field.${field}` as MessageKey) : undefined;
  };
  const formatValue = (field: string, value: unknown) => {
    if (!field.startsWith('employments.') || typeof value !== 'object' || value === null) return undefined;
    const v = value as { companyId?: string; role?: string | null; from?: string; to?: string | null; primary?: boolean };
    const company = p.employments.find((e) => e.companyId === v.companyId)?.companyName ?? '';
    return [company, v.role, `${fmt.date(v.from)} – ${fmt.date(v.to)}`, v.primary ? t('employment.primary') : '']
      .filter(Boolean)
      .join(', ');
  };

  return (
    <Stack data-testid="person-detail">
      {back}
      <Group justify="space-between">
        <Title order={2} data-testid="person-name">
          {name(p)}
        </Title>
        <Group>
          {!editing && (
            <Button
              variant="default"
              onClick={() => {
                setTab('details');
                setEditing(true);
              }}
              data-testid="person-edit"
            >
              {t('app.edit')}
            </Button>
          )}
          <Button color="red" variant="light" onClick={() => setDeleting(true)} data-testid="person-delete">
            {t('app.delete')}
          </Button>
        </Group>
      </Group>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details" data-testid="person-tab-details">
            {t('company.tab.details')}
          </Tabs.Tab>
          <Tabs.Tab value="employments" data-testid="person-tab-employments">
            {t('person.tab.employments')} ({p.employments.length})
          </Tabs.Tab>
          <Tabs.Tab value="audit" data-testid="person-tab-audit">
            {t('company.tab.audit')}
          </Tabs.Tab>
          {p.externalIds && (
            <Tabs.Tab value="external" data-testid="person-tab-external">
              {t('company.tab.externalIds')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          {editing ? (
            <Card withBorder>
              <PersonForm
                key={formKey}
                mode="edit"
                person={p}
                onCancel={() => setEditing(false)}
                onReload={() => void reload()}
                onSaved={(saved) => {
                  notifications.show({ color: 'green', message: t('company.form.saved', { name: name(saved) }) });
                  setEditing(false);
                }}
              />
            </Card>
          ) : (
            <Stack>
              <Card withBorder>
                <Title order={4} mb="sm">
                  {t('person.section.basics')}
                </Title>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <DetailField label={t('person.field.familyName')}>{p.familyName}</DetailField>
                  <DetailField label={t('person.field.givenName')}>{p.givenName}</DetailField>
                  <DetailField label={t('person.field.title')}>{p.title}</DetailField>
                  <DetailField label={t('person.field.position')}>{p.position}</DetailField>
                  <DetailField label={t('person.field.company')} testId="person-current-company">
                    {p.employments
                      .filter((e) => e.current)
                      .map((e) => (
                        <div key={e.id}>
                          {e.companyVisible ? <Link href={`/companies/${e.companyId}`}>{e.companyName}</Link> : t('employment.hiddenCompany')}
                          {e.role ? ` — ${e.role}` : ''}
                        </div>
                      ))}
                  </DetailField>
                </SimpleGrid>
                <CustomFieldValues fields={sections.get('basics') ?? []} values={p.custom} />
              </Card>
              <Card withBorder>
                <Title order={4} mb="sm">
                  {t('person.section.contact')}
                </Title>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <DetailField label={t('person.field.emails')}>
                    {p.emails.map((e) => (
                      <div key={e.address}>
                        <Anchor href={`mailto:${e.address}`}>{e.address}</Anchor>
                        {e.label ? ` (${e.label})` : ''}
                      </div>
                    ))}
                  </DetailField>
                  <DetailField label={t('person.field.phones')}>
                    {p.phones.map((x) => (
                      <div key={x.number}>
                        {x.number}
                        {x.label ? ` (${x.label})` : ''}
                      </div>
                    ))}
                  </DetailField>
                </SimpleGrid>
                <CustomFieldValues fields={sections.get('contact') ?? []} values={p.custom} />
              </Card>
              {own.map(([placement, fields]) => (
                <Card withBorder key={placement ?? ''}>
                  <Title order={4}>{placement ?? t('customField.defaultSection')}</Title>
                  <CustomFieldValues fields={fields} values={p.custom} />
                </Card>
              ))}
              <Card withBorder>
                <Title order={4} mb="sm">
                  {t('company.detail.record')}
                </Title>
                <SimpleGrid cols={{ base: 1, sm: 4 }}>
                  <DetailField label={t('person.field.owner')}>{ownerName(p.ownerId)}</DetailField>
                  <DetailField label={t('company.field.createdAt')}>{fmt.dateTime(p.createdAt)}</DetailField>
                  <DetailField label={t('company.field.updatedAt')}>{fmt.dateTime(p.updatedAt)}</DetailField>
                  <DetailField label={t('company.field.version')}>{fmt.integer(p.version)}</DetailField>
                </SimpleGrid>
                <CustomFieldValues fields={sections.get('record') ?? []} values={p.custom} />
              </Card>
            </Stack>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="employments" pt="md">
          <EmploymentsEditor person={p} />
        </Tabs.Panel>
        <Tabs.Panel value="external" pt="md">
          <ExternalIdsTable ids={p.externalIds} />
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="md">
          <AuditTrail recordPath={`/partners/persons/${p.id}`} fieldLabel={fieldLabelOf} formatValue={formatValue} />
        </Tabs.Panel>
      </Tabs>
      <ConfirmDelete
        opened={deleting}
        onClose={() => setDeleting(false)}
        title={t('person.delete.title')}
        message={t('person.delete.body', { name: name(p) })}
        onReload={() => void reload()}
        onConfirm={async () => {
          await remove.mutateAsync(p);
          notifications.show({ color: 'green', message: t('company.delete.done', { name: name(p) }) });
          router.push('/persons');
        }}
      />
    </Stack>
  );
}
