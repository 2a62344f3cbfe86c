'use client';

import { Anchor, Card, Group, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useRouter } from 'next/navigation';
import type { ReactNode } from 'react';
import { COMPANY_KINDS, COMPANY_SIZES, COMPANY_STATUSES } from '@kapocs/contracts';
import { AuditTrail } from '@/features/audit/components/audit-trail';
import { ExternalIdsTable } from '@/features/external-ids/components/external-ids-table';
import { GroupName } from '@/features/company-groups/components/group-name';
import type { CustomFieldDefinition } from '@/features/custom-fields/api/custom-fields.api';
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
import { type Company } from '../api/companies.api';
import { useCompany, useDeleteCompany } from '../hooks/use-companies';
import { COMPANY_SECTIONS, CompanyForm } from './company-form';
import { CompanyGroupTab } from './company-group-tab';
import { CompanyKindBadge, CompanyStatusBadge } from './company-labels';
import { CompanyPeople } from './company-people';

const COMPANY_FIELDS = new Set([
  'name', 'legalForm', 'kind', 'status', 'taxNumber', 'registrationNumber', 'country', 'industry', 'size', 'website',
  'emails', 'phones', 'addresses', 'groupId', 'ownerId', 'departmentId', 'createdAt', 'updatedAt',
]);

/** The label of a company field in audit entries (`custom.<key>` by its definition). */
export function useCompanyFieldLabel(defs: CustomFieldDefinition[] | undefined) {
  const { t, locale } = useI18n();
  return (field: string): string | undefined => {
    if (field.startsWith('custom.')) return customFieldAuditLabel(field, defs, locale);
    return COMPANY_FIELDS.has(field) ? t(`company.field.${field}` as MessageKey) : undefined;
  };
}

function CompanyView({ c, defs }: { c: Company; defs: CustomFieldDefinition[] }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const ownerName = useUserNames();
  const sections = fieldsBySection(applicableFields(defs, c.kind));
  const customIn = (s: string) => <CustomFieldValues fields={sections.get(s) ?? []} values={c.custom} />;
  const own = otherSections(sections, COMPANY_SECTIONS);
  const card = (title: string, children: ReactNode, testId?: string) => (
    <DetailCard title={title} testId={testId}>
      {children}
    </DetailCard>
  );
  return (
    <Stack>
      {card(
        t('company.detail.basics'),
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <DetailField label={t('company.field.legalForm')}>{c.legalForm}</DetailField>
            <DetailField label={t('company.field.taxNumber')} testId="company-tax-number">
              {c.taxNumber}
            </DetailField>
            <DetailField label={t('company.field.registrationNumber')}>{c.registrationNumber}</DetailField>
            <DetailField label={t('company.field.country')}>{c.country}</DetailField>
            <DetailField label={t('company.field.industry')}>{c.industry}</DetailField>
            <DetailField label={t('company.field.size')}>{c.size ? t(`company.size.${c.size}`) : undefined}</DetailField>
          </SimpleGrid>
          {customIn('basics')}
        </>,
      )}
      {card(
        t('company.detail.contact'),
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <DetailField label={t('company.field.website')}>
              {c.website ? (
                <Anchor href={c.website} target="_blank" rel="noreferrer">
                  {c.website}
                </Anchor>
              ) : undefined}
            </DetailField>
            <DetailField label={t('company.field.emails')} testId="company-emails">
              <EmailList emails={c.emails} />
            </DetailField>
            <DetailField label={t('company.field.phones')}>
              <PhoneList phones={c.phones} />
            </DetailField>
          </SimpleGrid>
          {customIn('contact')}
        </>,
      )}
      {card(
        t('company.field.addresses'),
        <>
          {c.addresses.length === 0 && <Text c="dimmed">{t('detail.none')}</Text>}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {c.addresses.map((a, i) => (
              <DetailField key={i} label={t(`company.addressKind.${a.kind}`)} testId="company-address">
                {[a.postalCode, a.city].filter(Boolean).join(' ')}
                {a.street ? `, ${a.street}` : ''}
                {a.country ? ` (${a.country})` : ''}
              </DetailField>
            ))}
          </SimpleGrid>
          {customIn('address')}
        </>,
      )}
      {own.map(([placement, fields]) =>
        card(placement ?? t('customField.defaultSection'), <CustomFieldValues fields={fields} values={c.custom} />, 'company-custom-section'),
      )}
      {card(
        t('company.detail.record'),
        <>
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            <DetailField label={t('company.field.owner')}>{ownerName(c.ownerId)}</DetailField>
            <DetailField label={t('company.field.createdAt')}>{fmt.dateTime(c.createdAt)}</DetailField>
            <DetailField label={t('company.field.updatedAt')}>{fmt.dateTime(c.updatedAt)}</DetailField>
            <DetailField label={t('company.field.version')}>{fmt.integer(c.version)}</DetailField>
          </SimpleGrid>
          {customIn('record')}
        </>,
      )}
    </Stack>
  );
}

export function CompanyDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const query = useCompany(id);
  const defs = useCustomFields('company');
  const remove = useDeleteCompany();
  const { tab, setTab, editing, setEditing, startEditing, formKey, deleting, setDeleting, reload } = useRecordDetail(query.refetch);
  const fieldLabel = useCompanyFieldLabel(defs.data);
  const merged = useMergedRedirect(query.error, '/companies');

  const back = <BackLink href="/companies" label={t('company.detail.back')} />;

  if (query.isPending || merged || query.error) {
    return (
      <RecordDetailPlaceholder
        loading={query.isPending || Boolean(merged)}
        error={query.error}
        back={back}
        notFoundText={t('company.detail.notFound')}
        notFoundTestId="company-not-found"
      />
    );
  }

  const c = query.data;

  const formatValue = (field: string, value: unknown): ReactNode | undefined => {
    if (field === 'kind' && (COMPANY_KINDS as readonly unknown[]).includes(value)) return t(`company.kind.${value as Company['kind']}`);
    if (field === 'status' && (COMPANY_STATUSES as readonly unknown[]).includes(value)) return t(`company.status.${value as Company['status']}`);
    if (field === 'groupId' && typeof value === 'string') return <GroupName id={value} />;
    if (field === 'size' && (COMPANY_SIZES as readonly unknown[]).includes(value)) return t(`company.size.${value as NonNullable<Company['size']>}`);
    return undefined;
  };

  return (
    <Stack data-testid="company-detail">
      {back}
      <RecordDetailHeader
        title={
          <Group>
            <Title order={2} data-testid="company-name">
              {c.name}
            </Title>
            <CompanyKindBadge kind={c.kind} />
            <CompanyStatusBadge status={c.status} />
          </Group>
        }
        editing={editing}
        onEdit={startEditing}
        onDelete={() => setDeleting(true)}
        testIdPrefix="company"
      />

      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details" data-testid="company-tab-details">
            {t('company.tab.details')}
          </Tabs.Tab>
          <Tabs.Tab value="people" data-testid="company-tab-people">
            {t('company.tab.people')}
          </Tabs.Tab>
          <Tabs.Tab value="group" data-testid="company-tab-group">
            {t('company.tab.group')}
          </Tabs.Tab>
          <Tabs.Tab value="audit" data-testid="company-tab-audit">
            {t('company.tab.audit')}
          </Tabs.Tab>
          <Tabs.Tab value="external" data-testid="company-tab-external">
            {t('company.tab.externalIds')}
          </Tabs.Tab>
        </Tabs.List>

        <Tabs.Panel value="details" pt="md">
          {editing ? (
            <Card withBorder>
              <CompanyForm
                key={formKey}
                mode="edit"
                company={c}
                onCancel={() => setEditing(false)}
                onReload={() => void reload()}
                onSaved={(saved) => {
                  notifications.show({ color: 'green', message: t('company.form.saved', { name: saved.name }) });
                  setEditing(false);
                }}
              />
            </Card>
          ) : (
            <CompanyView c={c} defs={defs.data ?? []} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="people" pt="md">
          <CompanyPeople companyId={c.id} />
        </Tabs.Panel>
        <Tabs.Panel value="group" pt="md">
          <CompanyGroupTab company={c} />
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="md">
          <AuditTrail recordPath={`/partners/companies/${c.id}`} fieldLabel={fieldLabel} formatValue={formatValue} />
        </Tabs.Panel>
        <Tabs.Panel value="external" pt="md">
          <ExternalIdsTable ids={c.externalIds} />
        </Tabs.Panel>
      </Tabs>

      <ConfirmDelete
        opened={deleting}
        onClose={() => setDeleting(false)}
        title={t('company.delete.title')}
        message={t('company.delete.body', { name: c.name })}
        onReload={() => void reload()}
        onConfirm={async () => {
          await remove.mutateAsync(c);
          notifications.show({ color: 'green', message: t('company.delete.done', { name: c.name }) });
          router.push('/companies');
        }}
      />
    </Stack>
  );
}
