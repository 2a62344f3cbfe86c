'use client';

import { Stack, Text } from '@mantine/core';
import Link from 'next/link';
import type { DuplicateEntity, DuplicateSide } from '@kapocs/contracts';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { personName } from '@/features/persons/components/person-name';
import { useI18n } from '@/i18n/i18n-provider';

/** A record's name as the duplicates page shows it (persons in the locale's name order). */
export function useSideName(entity: DuplicateEntity) {
  const { locale } = useI18n();
  return (s: DuplicateSide) =>
    entity === 'person' && s.familyName !== undefined ? personName({ familyName: s.familyName, givenName: s.givenName ?? '' }, locale) : s.name;
}

/** One record of a pair: its name (opens it), what identifies it, its owner. */
export function PairSide({ entity, side }: { entity: DuplicateEntity; side: DuplicateSide }) {
  const { t } = useI18n();
  const ownerName = useUserNames();
  const nameOf = useSideName(entity);
  const base = entity === 'company' ? '/companies' : '/persons';
  return (
    <Stack gap={0}>
      <Link href={`${base}/${side.id}`}>{nameOf(side)}</Link>
      <Text size="xs" c="dimmed">
        {entity === 'company'
          ? [side.taxNumber, side.registrationNumber, side.city].filter(Boolean).join(' · ')
          : (side.emails ?? []).join(', ')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('company.field.owner')}: {ownerName(side.ownerId)}
      </Text>
    </Stack>
  );
}
