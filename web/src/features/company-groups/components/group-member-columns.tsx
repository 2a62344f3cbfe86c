'use client';

import Link from 'next/link';
import { CompanyKindBadge, CompanyStatusBadge } from '@/features/companies/components/company-labels';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { useI18n } from '@/i18n/i18n-provider';
import type { Column } from '@/shell/data-table';
import type { GroupMember } from '../api/company-groups.api';

/** The columns a group's member companies can be shown in: name (a link), kind, status, city, owner. */
export function useGroupMemberColumns() {
  const { t } = useI18n();
  const ownerName = useUserNames();
  return {
    name: { key: 'name', header: t('company.field.name'), cell: (m) => <Link href={`/companies/${m.id}`}>{m.name}</Link> },
    kind: { key: 'kind', header: t('company.field.kind'), cell: (m) => <CompanyKindBadge kind={m.kind} /> },
    status: { key: 'status', header: t('company.field.status'), cell: (m) => <CompanyStatusBadge status={m.status} /> },
    city: { key: 'city', header: t('company.field.city'), cell: (m) => m.city },
    owner: { key: 'owner', header: t('company.field.owner'), cell: (m) => ownerName(m.ownerId) },
  } satisfies Record<string, Column<GroupMember>>;
}
