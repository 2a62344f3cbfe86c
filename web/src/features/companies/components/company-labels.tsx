'use client';

import { Badge } from '@mantine/core';
import type { CompanyKind, CompanyStatus } from '@kapocs/contracts';
import { useI18n } from '@/i18n/i18n-provider';

const kindColors: Record<CompanyKind, string> = {
  customer: 'teal',
  prospect: 'blue',
  reseller: 'violet',
  supplier: 'orange',
  competitor: 'red',
  partner: 'grape',
};

export function CompanyKindBadge({ kind }: { kind: CompanyKind }) {
  const { t } = useI18n();
  return (
    <Badge variant="light" color={kindColors[kind] ?? 'gray'}>
      {t(`company.kind.${kind}`)}
    </Badge>
  );
}

export function CompanyStatusBadge({ status }: { status: CompanyStatus }) {
  const { t } = useI18n();
  return (
    <Badge variant="dot" color={status === 'active' ? 'green' : 'gray'}>
      {t(`company.status.${status}`)}
    </Badge>
  );
}
