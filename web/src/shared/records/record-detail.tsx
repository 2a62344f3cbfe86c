'use client';

import { Anchor, Button, Card, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { ApiError } from '@/api/api-error';
import { ProblemAlert } from '@/api/problem-alert';
import type { CustomFieldDefinition } from '@/features/custom-fields/api/custom-fields.api';
import { fieldLabel } from '@/features/custom-fields/components/custom-values';
import { useI18n } from '@/i18n/i18n-provider';

/**
 * The state of a record's detail page: the open tab, editing, deleting, and the reload after a
 * 412, which loads the record again and starts the form afresh from the version just loaded.
 */
export function useRecordDetail(refetch: () => Promise<unknown>) {
  const [tab, setTab] = useState<string | null>('details');
  const [editing, setEditing] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const [deleting, setDeleting] = useState(false);
  const reload = async () => {
    await refetch();
    setFormKey((k) => k + 1); // the form starts again from the version just loaded
  };
  const startEditing = () => {
    setTab('details');
    setEditing(true);
  };
  return { tab, setTab, editing, setEditing, startEditing, formKey, deleting, setDeleting, reload };
}

/** The link back to the list above a record. */
export function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <Anchor component={Link} href={href} size="sm">
      ← {label}
    </Anchor>
  );
}

/** What a detail page shows while its record loads, or when it could not be read (404 said in words). */
export function RecordDetailPlaceholder({
  loading,
  error,
  back,
  notFoundText,
  notFoundTestId,
}: {
  loading: boolean;
  error: Error | null;
  back: ReactNode;
  notFoundText: string;
  notFoundTestId?: string;
}) {
  if (loading || !error) {
    return (
      <Center mt="xl">
        <Loader />
      </Center>
    );
  }
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <Stack>
      {back}
      {notFound ? <Text data-testid={notFoundTestId}>{notFoundText}</Text> : <ProblemAlert error={error} />}
    </Stack>
  );
}

/** The title row of a detail page with its edit (while not editing) and delete buttons. */
export function RecordDetailHeader({
  title,
  editing,
  onEdit,
  onDelete,
  testIdPrefix,
}: {
  title: ReactNode;
  editing: boolean;
  onEdit: () => void;
  onDelete: () => void;
  testIdPrefix: string;
}) {
  const { t } = useI18n();
  return (
    <Group justify="space-between">
      {title}
      <Group>
        {!editing && (
          <Button variant="default" onClick={onEdit} data-testid={`${testIdPrefix}-edit`}>
            {t('app.edit')}
          </Button>
        )}
        <Button color="red" variant="light" onClick={onDelete} data-testid={`${testIdPrefix}-delete`}>
          {t('app.delete')}
        </Button>
      </Group>
    </Group>
  );
}

/** A titled card of a record's details. */
export function DetailCard({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  return (
    <Card withBorder data-testid={testId}>
      <Title order={4} mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

/** A record's e-mail addresses, each a mailto link with its label. */
export function EmailList({ emails }: { emails: { address: string; label?: string | null }[] }) {
  return emails.map((e) => (
    <div key={e.address}>
      <Anchor href={`mailto:${e.address}`}>{e.address}</Anchor>
      {e.label ? ` (${e.label})` : ''}
    </div>
  ));
}

/** A record's phone numbers, each with its label. */
export function PhoneList({ phones }: { phones: { number: string; label?: string | null }[] }) {
  return phones.map((p) => (
    <div key={p.number}>
      {p.number}
      {p.label ? ` (${p.label})` : ''}
    </div>
  ));
}

/** The label of a `custom.<key>` field in audit entries (by its definition); undefined for other fields. */
export function customFieldAuditLabel(field: string, defs: CustomFieldDefinition[] | undefined, locale: string): string | undefined {
  if (!field.startsWith('custom.')) return undefined;
  const d = defs?.find((x) => `custom.${x.key}` === field);
  return d ? fieldLabel(d, locale) : field.slice(7);
}
