'use client';

import { Anchor, Card, Center, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ApiError } from '@/api/api-error';
import { ProblemAlert } from '@/api/problem-alert';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import { useCompany } from '../hooks/use-companies';
import { CompanyKindBadge, CompanyStatusBadge } from './company-labels';

function Field({ label, children, testId }: { label: MessageKey; children: ReactNode; testId?: string }) {
  const { t } = useI18n();
  const empty = children === undefined || children === null || children === '';
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {t(label)}
      </Text>
      <Text data-testid={testId}>{empty ? t('company.detail.none') : children}</Text>
    </div>
  );
}

export function CompanyDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const ownerName = useUserNames();
  const query = useCompany(id);

  const back = (
    <Anchor component={Link} href="/companies" size="sm">
      ← {t('company.detail.back')}
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
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Stack>
        {back}
        {notFound ? <Text data-testid="company-not-found">{t('company.detail.notFound')}</Text> : <ProblemAlert error={query.error} />}
      </Stack>
    );
  }

  const c = query.data.company;
  return (
    <Stack data-testid="company-detail">
      {back}
      <Group>
        <Title order={2} data-testid="company-name">
          {c.name}
        </Title>
        <CompanyKindBadge kind={c.kind} />
        <CompanyStatusBadge status={c.status} />
      </Group>
      <Card withBorder>
        <Title order={4} mb="sm">
          {t('company.detail.basics')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Field label="company.field.legalForm">{c.legalForm}</Field>
          <Field label="company.field.taxNumber" testId="company-tax-number">
            {c.taxNumber}
          </Field>
          <Field label="company.field.registrationNumber">{c.registrationNumber}</Field>
          <Field label="company.field.country">{c.country}</Field>
          <Field label="company.field.industry">{c.industry}</Field>
          <Field label="company.field.size">{c.size ? t(`company.size.${c.size}`) : undefined}</Field>
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Title order={4} mb="sm">
          {t('company.detail.contact')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Field label="company.field.website">
            {c.website ? (
              <Anchor href={c.website} target="_blank" rel="noreferrer">
                {c.website}
              </Anchor>
            ) : undefined}
          </Field>
          <Field label="company.field.emails">
            {c.emails.length > 0 ? c.emails.map((e) => e.address).join(', ') : undefined}
          </Field>
          <Field label="company.field.phones">
            {c.phones.length > 0 ? c.phones.map((p) => p.number).join(', ') : undefined}
          </Field>
          <Field label="company.field.addresses">
            {c.addresses.length > 0
              ? c.addresses.map((a, i) => (
                  <span key={i} style={{ display: 'block' }}>
                    {[a.postalCode, a.city].filter(Boolean).join(' ')}
                    {a.street ? `, ${a.street}` : ''}
                    {a.country ? ` (${a.country})` : ''}
                  </span>
                ))
              : undefined}
          </Field>
        </SimpleGrid>
      </Card>
      <Card withBorder>
        <Title order={4} mb="sm">
          {t('company.detail.record')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 4 }}>
          <Field label="company.field.owner">{ownerName(c.ownerId)}</Field>
          <Field label="company.field.createdAt">{fmt.dateTime(c.createdAt)}</Field>
          <Field label="company.field.updatedAt">{fmt.dateTime(c.updatedAt)}</Field>
          <Field label="company.field.version">{fmt.integer(c.version)}</Field>
        </SimpleGrid>
      </Card>
    </Stack>
  );
}
