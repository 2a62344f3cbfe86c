'use client';

import { Anchor } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { COMPANY_KINDS, COMPANY_SIZES, COMPANY_STATUSES } from '@kapocs/contracts';
import type { CustomFieldDefinition } from '@/features/custom-fields/api/custom-fields.api';
import { fieldLabel, formatCustomValue } from '@/features/custom-fields/components/custom-values';
import { useUserNames, useUserOptions } from '@/features/directory/hooks/use-directory';
import type { FilterFieldKind, FilterFieldOption } from '@/features/list-filters/components/filter-rows';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { type Company } from '../api/companies.api';
import { CompanyKindBadge, CompanyStatusBadge } from './company-labels';

export interface CompanyColumn {
  id: string;
  label: string;
  /** The list's sort field, when the column can be sorted. */
  sort?: string;
  render: (c: Company) => ReactNode;
}

export const DEFAULT_COMPANY_COLUMNS = ['kind', 'status', 'taxNumber', 'city', 'owner'];

const CUSTOM_KIND: Record<CustomFieldDefinition['type'], FilterFieldKind> = {
  text: 'string',
  textarea: 'text',
  integer: 'integer',
  date: 'date',
  boolean: 'boolean',
  list: 'enum',
};

/** Every column the company list can show (name first and always), custom fields included. */
export function useCompanyColumns(defs: CustomFieldDefinition[] | undefined): CompanyColumn[] {
  const { t, locale } = useI18n();
  const fmt = useFormat();
  const ownerName = useUserNames();
  return useMemo(() => {
    const builtIn: CompanyColumn[] = [
      { id: 'kind', label: t('company.field.kind'), sort: 'kind', render: (c) => <CompanyKindBadge kind={c.kind} /> },
      { id: 'status', label: t('company.field.status'), sort: 'status', render: (c) => <CompanyStatusBadge status={c.status} /> },
      { id: 'taxNumber', label: t('company.field.taxNumber'), render: (c) => c.taxNumber },
      { id: 'registrationNumber', label: t('company.field.registrationNumber'), render: (c) => c.registrationNumber },
      { id: 'legalForm', label: t('company.field.legalForm'), render: (c) => c.legalForm },
      { id: 'city', label: t('company.field.city'), render: (c) => c.addresses[0]?.city },
      { id: 'country', label: t('company.field.country'), sort: 'country', render: (c) => c.country },
      { id: 'industry', label: t('company.field.industry'), render: (c) => c.industry },
      { id: 'size', label: t('company.field.size'), render: (c) => (c.size ? t(`company.size.${c.size}`) : '') },
      {
        id: 'website',
        label: t('company.field.website'),
        render: (c) =>
          c.website ? (
            <Anchor href={c.website} target="_blank" rel="noreferrer" size="sm">
              {c.website.replace(/^https?:\/\//, '')}
            </Anchor>
          ) : null,
      },
      { id: 'email', label: t('company.field.email'), render: (c) => c.emails[0]?.address },
      { id: 'phone', label: t('company.field.phone'), render: (c) => c.phones[0]?.number },
      { id: 'owner', label: t('company.field.owner'), render: (c) => ownerName(c.ownerId) },
      { id: 'createdAt', label: t('company.field.createdAt'), sort: 'createdAt', render: (c) => fmt.date(c.createdAt) },
      { id: 'updatedAt', label: t('company.field.updatedAt'), sort: 'updatedAt', render: (c) => fmt.date(c.updatedAt) },
    ];
    const custom: CompanyColumn[] = (defs ?? []).map((d) => ({
      id: `custom.${d.key}`,
      label: fieldLabel(d, locale),
      sort: d.type === 'textarea' ? undefined : `custom.${d.key}`,
      render: (c) => formatCustomValue(d, c.custom[d.key], t, fmt),
    }));
    return [...builtIn, ...custom];
  }, [defs, t, locale, fmt, ownerName]);
}

/** The fields the company filter builder offers: the list's filterable fields and every custom field. */
export function useCompanyFilterFields(defs: CustomFieldDefinition[] | undefined): FilterFieldOption[] {
  const { t, locale } = useI18n();
  const users = useUserOptions();
  return useMemo(() => {
    const group = t('filter.group.builtIn');
    const builtIn: FilterFieldOption[] = [
      { field: 'name', label: t('company.field.name'), kind: 'string', group },
      { field: 'kind', label: t('company.field.kind'), kind: 'enum', group, values: COMPANY_KINDS.map((k) => ({ value: k, label: t(`company.kind.${k}`) })) },
      { field: 'status', label: t('company.field.status'), kind: 'enum', group, values: COMPANY_STATUSES.map((s) => ({ value: s, label: t(`company.status.${s}`) })) },
      { field: 'size', label: t('company.field.size'), kind: 'enum', group, values: COMPANY_SIZES.map((s) => ({ value: s, label: t(`company.size.${s}`) })) },
      { field: 'taxNumber', label: t('company.field.taxNumber'), kind: 'string', group },
      { field: 'registrationNumber', label: t('company.field.registrationNumber'), kind: 'string', group },
      { field: 'city', label: t('company.field.city'), kind: 'string', group },
      { field: 'country', label: t('company.field.country'), kind: 'string', group },
      { field: 'industry', label: t('company.field.industry'), kind: 'string', group },
      { field: 'website', label: t('company.field.website'), kind: 'string', group },
      { field: 'ownerId', label: t('company.field.owner'), kind: 'user', group, values: users },
      { field: 'createdAt', label: t('company.field.createdAt'), kind: 'datetime', group },
      { field: 'updatedAt', label: t('company.field.updatedAt'), kind: 'datetime', group },
    ];
    const customGroup = t('filter.group.custom');
    const custom: FilterFieldOption[] = (defs ?? []).map((d) => ({
      field: `custom.${d.key}`,
      label: fieldLabel(d, locale),
      kind: CUSTOM_KIND[d.type],
      group: customGroup,
      values: d.type === 'list' ? (d.options ?? []).map((o) => ({ value: o, label: o })) : undefined,
    }));
    return [...builtIn, ...custom];
  }, [defs, t, locale, users]);
}
