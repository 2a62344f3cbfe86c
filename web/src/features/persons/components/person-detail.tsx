'use client';

import { Card, SimpleGrid, Stack, Tabs, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { AuditTrail } from '@/features/audit/components/audit-trail';
import { ExternalIdsTable } from '@/features/external-ids/components/external-ids-table';
import { CustomFieldValues } from '@/features/custom-fields/components/custom-field-values';
import { applicableFields, fieldsBySection } from '@/features/custom-fields/components/custom-values';
import { useCustomFields } from '@/features/custom-fields/hooks/use-custom-fields';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { useMergedRedirect } from '@/features/duplicates/hooks/use-merged-redirect';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import { ConfirmDelete } from '@/shell/confirm-delete';
import { DetailField } from '@/shell/detail-field';
import { otherSections } from '@/shared/records/record-form-parts';
import {
  BackLink,
  customFieldAuditLabel,
  DetailCard,
  EmailList,
  PhoneList,
  RecordDetailHeader,
  RecordDetailPlaceholder,
  useRecordDetail,
} from '@/shared/records/record-detail';
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
  const { tab, setTab, editing, setEditing, startEditing, formKey, deleting, setDeleting, reload } = useRecordDetail(query.refetch);
  const merged = useMergedRedirect(query.error, '/persons');

  const back = <BackLink href="/persons" label={t('person.detail.back')} />;
  if (query.isPending || merged || query.error) {
    return (
      <RecordDetailPlaceholder
        loading={query.isPending || Boolean(merged)}
        error={query.error}
        back={back}
        notFoundText={t('person.detail.notFound')}
        notFoundTestId="person-not-found"
      />
    );
  }
  const p = query.data;
  const sections = fieldsBySection(applicableFields(defs.data ?? []));
  const own = otherSections(sections, PERSON_SECTIONS);
  const fieldLabelOf = (field: string) => {
    if (field.startsWith('custom.')) return customFieldAuditLabel(field, defs.data, locale);
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
      <RecordDetailHeader
        title={
          <Title order={2} data-testid="person-name">
            {name(p)}
          </Title>
        }
        editing={editing}
        onEdit={startEditing}
        onDelete={() => setDeleting(true)}
        testIdPrefix="person"
      />
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
              <DetailCard title={t('person.section.basics')}>
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
              </DetailCard>
              <DetailCard title={t('person.section.contact')}>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <DetailField label={t('person.field.emails')}>
                    <EmailList emails={p.emails} />
                  </DetailField>
                  <DetailField label={t('person.field.phones')}>
                    <PhoneList phones={p.phones} />
                  </DetailField>
                </SimpleGrid>
                <CustomFieldValues fields={sections.get('contact') ?? []} values={p.custom} />
              </DetailCard>
              {own.map(([placement, fields]) => (
                <Card withBorder key={placement ?? ''}>
                  <Title order={4}>{placement ?? t('customField.defaultSection')}</Title>
                  <CustomFieldValues fields={fields} values={p.custom} />
                </Card>
              ))}
              <DetailCard title={t('company.detail.record')}>
                <SimpleGrid cols={{ base: 1, sm: 4 }}>
                  <DetailField label={t('person.field.owner')}>{ownerName(p.ownerId)}</DetailField>
                  <DetailField label={t('company.field.createdAt')}>{fmt.dateTime(p.createdAt)}</DetailField>
                  <DetailField label={t('company.field.updatedAt')}>{fmt.dateTime(p.updatedAt)}</DetailField>
                  <DetailField label={t('company.field.version')}>{fmt.integer(p.version)}</DetailField>
                </SimpleGrid>
                <CustomFieldValues fields={sections.get('record') ?? []} values={p.custom} />
              </DetailCard>
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
