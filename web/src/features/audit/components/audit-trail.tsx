'use client';

import { Badge, Code, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useApi } from '@/api/api-provider';
import { useUserNames } from '@/features/directory/hooks/use-directory';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import { DataTable } from '@/shell/data-table';
import { QueryView } from '@/shell/query-view';
import { fetchAudit, type AuditEntry } from '../api/audit.api';

interface Props {
  /** The record's path at the gateway, e.g. `/partners/companies/<id>`. */
  recordPath: string;
  /** A field's label (`name`, `custom.region`), or undefined to show the field's key. */
  fieldLabel: (field: string) => string | undefined;
  /** A value the way the record shows it (e.g. a kind translated), or undefined for the default. */
  formatValue?: (field: string, value: unknown) => ReactNode | undefined;
}

const ACTIONS = ['created', 'updated', 'deleted', 'reassigned', 'merged', 'employment-added', 'employment-updated', 'employment-removed', 'employments-combined', 'duplicate-dismissed', 'duplicate-restored'];
// fields that point at another record (merge, not-a-duplicate), labelled by the audit catalogue
const LINK_FIELDS = ['mergedInto', 'mergedFrom', 'notDuplicateOf'];

const isBlank = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

function plain(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (Array.isArray(value)) {
    return value
      .map((v) => {
        if (v && typeof v === 'object') {
          const o = v as Record<string, unknown>;
          if (typeof o.address === 'string') return o.address;
          if (typeof o.number === 'string') return o.number;
          if (typeof o.city === 'string') return [o.postalCode, o.city, o.street].filter(Boolean).join(' ');
        }
        return typeof v === 'object' ? JSON.stringify(v) : String(v);
      })
      .join(', ');
  }
  return JSON.stringify(value);
}

/** The changes of an entry a row each; custom values (audited as one object) per custom field. */
function changedFields(e: AuditEntry): { field: string; from: unknown; to: unknown }[] {
  const rows: { field: string; from: unknown; to: unknown }[] = [];
  for (const [field, change] of Object.entries(e.changes ?? {})) {
    const from = change.from as Record<string, unknown> | null;
    const to = change.to as Record<string, unknown> | null;
    if (field === 'custom' && (from === null || typeof from === 'object') && (to === null || typeof to === 'object')) {
      const keys = new Set([...Object.keys(from ?? {}), ...Object.keys(to ?? {})]);
      for (const k of keys) {
        if (JSON.stringify(from?.[k] ?? null) !== JSON.stringify(to?.[k] ?? null)) {
          rows.push({ field: `custom.${k}`, from: from?.[k] ?? null, to: to?.[k] ?? null });
        }
      }
    } else rows.push({ field, from: change.from, to: change.to });
  }
  // a new record lists only what it was created with
  return e.action === 'created' ? rows.filter((r) => !isBlank(r.to)) : rows;
}

/** The audit trail of a record: who changed it, when, and each field from → to. */
export function AuditTrail({ recordPath, fieldLabel, formatValue }: Props) {
  const { t } = useI18n();
  const fmt = useFormat();
  const userName = useUserNames();
  const api = useApi();
  const query = useQuery({
    queryKey: ['audit', recordPath],
    queryFn: ({ signal }) => fetchAudit(api, recordPath, signal),
    staleTime: 0,
  });

  const show = (field: string, value: unknown): ReactNode => {
    if (isBlank(value)) return <Text span c="dimmed">{t('detail.none')}</Text>;
    const custom = formatValue?.(field, value);
    if (custom !== undefined) return custom;
    if (field === 'ownerId' && typeof value === 'string') return userName(value);
    if (field === 'custom' && typeof value === 'object') {
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${fieldLabel(`custom.${k}`) ?? k}: ${plain(v)}`)
        .join('; ');
    }
    return plain(value);
  };

  return (
    <QueryView query={query}>
      {(entries) =>
        entries.length === 0 ? (
          <Text c="dimmed">{t('audit.empty')}</Text>
        ) : (
          <DataTable<AuditEntry>
            testId="audit-table"
            verticalSpacing="xs"
            rows={entries}
            rowKey={(e) => e.id}
            rowProps={() => ({ 'data-testid': 'audit-row' })}
            columns={[
              { key: 'when', header: t('audit.when'), th: { w: 180 }, cell: (e) => fmt.dateTime(e.at) },
              { key: 'who', header: t('audit.who'), th: { w: 180 }, cell: (e) => e.actor.name || userName(e.actor.id) },
              {
                key: 'action',
                header: t('audit.action'),
                th: { w: 200 },
                cell: (e) => (
                  <Badge variant="light" color={e.action === 'deleted' ? 'red' : e.action === 'created' ? 'green' : 'blue'}>
                    {ACTIONS.includes(e.action) ? t(`audit.action.${e.action}` as MessageKey) : e.action}
                  </Badge>
                ),
              },
              {
                key: 'changes',
                header: t('audit.changes'),
                cell: (e) => (
                  <Stack gap={2}>
                    {changedFields(e).map((r) => (
                      <Text size="sm" key={r.field} data-testid="audit-change">
                        <Text span fw={600}>
                          {fieldLabel(r.field) ??
                            (LINK_FIELDS.includes(r.field) ? t(`audit.field.${r.field}` as MessageKey) : <Code>{r.field}</Code>)}
                        </Text>
                        {': '}
                        {e.action === 'created' ? null : (
                          <>
                            {show(r.field, r.from)}
                            {' → '}
                          </>
                        )}
                        {show(r.field, r.to)}
                      </Text>
                    ))}
                  </Stack>
                ),
              },
            ]}
          />
        )
      }
    </QueryView>
  );
}
