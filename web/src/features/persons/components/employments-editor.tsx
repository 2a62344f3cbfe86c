'use client';

import { Badge, Button, Checkbox, Group, Menu, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import Link from 'next/link';
import { useState } from 'react';
import { Controller } from 'react-hook-form';
import { z } from 'zod';
import { useApi } from '@/api/api-provider';
import { ProblemAlert } from '@/api/problem-alert';
import { searchCompanies } from '@/features/companies/api/companies.api';
import { RemoteSelect } from '@/forms/remote-select';
import { useServerForm } from '@/forms/use-server-form';
import { useFormat } from '@/i18n/format';
import { useI18n } from '@/i18n/i18n-provider';
import { ConfirmDelete } from '@/shell/confirm-delete';
import { FormFooter } from '@/shared/records/record-form-parts';
import { DataTable } from '@/shell/data-table';
import type { Employment, Person } from '../api/persons.api';
import { useEmploymentMutation } from '../hooks/use-persons';

/** Today in the browser's calendar, as YYYY-MM-DD. */
export const todayIso = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const schema = z
  .object({
    companyId: z.string().min(1, { error: 'employment.validation.company' }),
    role: z.string().trim().max(100, { error: 'validation.tooLong|max=100' }),
    from: z.string().regex(DATE_RE, { error: 'employment.validation.from' }),
    to: z.string().refine((v) => v === '' || DATE_RE.test(v), { error: 'customField.validation.date' }),
    primary: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.to && v.from && v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'employment.validation.toBeforeFrom' });
  });

const FIELDS = new Set(['companyId', 'role', 'from', 'to', 'primary']);

function EmploymentForm({ person, editing, onDone }: { person: Person; editing?: Employment; onDone: () => void }) {
  const { t } = useI18n();
  const api = useApi();
  const mutation = useEmploymentMutation(person);
  const hasCurrentPrimary = person.employments.some((e) => e.current && e.primary && e.id !== editing?.id);
  const {
    register,
    control,
    errorText,
    onSubmit,
    formState: { isSubmitting },
  } = useServerForm({
    schema,
    defaultValues: editing
      ? { companyId: editing.companyId, role: editing.role ?? '', from: editing.from, to: editing.to ?? '', primary: editing.primary }
      : { companyId: '', role: '', from: todayIso(), to: '', primary: !hasCurrentPrimary },
    fieldOf: (p) => {
      const head = p.split('.')[0] ?? '';
      return FIELDS.has(head) ? head : undefined;
    },
    save: async (v) => {
      const body = { role: v.role.trim() || null, from: v.from, to: v.to || null, primary: v.primary };
      if (editing) await mutation.mutateAsync({ kind: 'update', id: editing.id, body });
      else await mutation.mutateAsync({ kind: 'add', body: { ...body, companyId: v.companyId } });
      notifications.show({ color: 'green', message: t('employment.saved') });
      onDone();
    },
  });
  return (
    <form onSubmit={onSubmit} noValidate data-testid="employment-form">
      <Stack>
        {mutation.error && <ProblemAlert error={mutation.error} hideFieldErrors={(p) => FIELDS.has(p.split('.')[0] ?? '')} />}
        <Controller
          control={control}
          name="companyId"
          render={({ field }) => (
            <RemoteSelect
              cacheKey="companies"
              search={async (q, signal) => (await searchCompanies(api, q, signal)).map((c) => ({ value: c.id, label: c.name }))}
              value={field.value || null}
              onChange={(v) => field.onChange(v ?? '')}
              selectedLabel={editing?.companyName}
              label={t('employment.field.company')}
              placeholder={t('employment.companySearch')}
              required
              disabled={!!editing}
              error={errorText('companyId')}
              testId="employment-form-company"
            />
          )}
        />
        <TextInput label={t('employment.field.role')} {...register('role')} error={errorText('role')} data-testid="employment-form-role" />
        <SimpleGrid cols={2}>
          <TextInput
            type="date"
            label={t('employment.field.from')}
            withAsterisk
            {...register('from')}
            error={errorText('from')}
            data-testid="employment-form-from"
          />
          <TextInput type="date" label={t('employment.field.to')} {...register('to')} error={errorText('to')} data-testid="employment-form-to" />
        </SimpleGrid>
        <Controller
          control={control}
          name="primary"
          render={({ field }) => (
            <Checkbox
              label={t('employment.field.primary')}
              description={t('employment.primaryHelp')}
              checked={field.value}
              onChange={(e) => field.onChange(e.currentTarget.checked)}
              data-testid="employment-form-primary"
            />
          )}
        />
        <FormFooter submitting={isSubmitting} onCancel={onDone} testIdPrefix="employment-form" />
      </Stack>
    </form>
  );
}

function EndEmployment({ person, employment, onDone }: { person: Person; employment: Employment; onDone: () => void }) {
  const { t } = useI18n();
  const mutation = useEmploymentMutation(person);
  const [to, setTo] = useState(todayIso());
  const tooEarly = to !== '' && to < employment.from;
  return (
    <Stack>
      <Text size="sm">{t('employment.endBody', { company: employment.companyName ?? '' })}</Text>
      <ProblemAlert error={mutation.error} />
      <TextInput
        type="date"
        label={t('employment.field.to')}
        value={to}
        onChange={(e) => setTo(e.currentTarget.value)}
        error={tooEarly ? t('employment.validation.toBeforeFrom') : undefined}
        data-testid="employment-end-date"
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('app.cancel')}
        </Button>
        <Button
          disabled={!to || tooEarly}
          loading={mutation.isPending}
          onClick={async () => {
            try {
              await mutation.mutateAsync({ kind: 'update', id: employment.id, body: { to } });
              notifications.show({ color: 'green', message: t('employment.ended') });
              onDone();
            } catch {
              // shown above
            }
          }}
          data-testid="employment-end-submit"
        >
          {t('employment.end')}
        </Button>
      </Group>
    </Stack>
  );
}

/** A person's employments over time: add one, change it, end it, or remove one entered by mistake. */
export function EmploymentsEditor({ person }: { person: Person }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const remove = useEmploymentMutation(person);
  const [dialog, setDialog] = useState<{ kind: 'add' } | { kind: 'edit' | 'end' | 'delete'; employment: Employment } | null>(null);
  const close = () => setDialog(null);
  return (
    <Stack data-testid="employments">
      <Group justify="space-between">
        <Text fw={600}>{t('employment.title')}</Text>
        <Button size="xs" onClick={() => setDialog({ kind: 'add' })} data-testid="employment-add">
          + {t('employment.add')}
        </Button>
      </Group>
      {person.employments.length === 0 ? (
        <Text c="dimmed" data-testid="employments-empty">
          {t('employment.none')}
        </Text>
      ) : (
        <DataTable<Employment>
          testId="employments-table"
          rows={person.employments}
          rowKey={(e) => e.id}
          rowProps={(e) => ({ 'data-testid': 'employment-row', c: e.current ? undefined : 'dimmed' })}
          columns={[
            {
              key: 'company',
              header: t('employment.field.company'),
              cell: (e) =>
                e.companyVisible && e.companyName ? (
                  <Link href={`/companies/${e.companyId}`}>{e.companyName}</Link>
                ) : (
                  <Text span c="dimmed">
                    {t('employment.hiddenCompany')}
                  </Text>
                ),
            },
            { key: 'role', header: t('employment.field.role'), cell: (e) => e.role },
            { key: 'from', header: t('employment.field.from'), cell: (e) => fmt.date(e.from) },
            { key: 'to', header: t('employment.field.to'), cell: (e) => fmt.date(e.to) },
            {
              key: 'badges',
              cell: (e) => (
                <Group gap={4}>
                  {e.primary && (
                    <Badge size="sm" variant="light">
                      {t('employment.primary')}
                    </Badge>
                  )}
                  <Badge size="sm" variant="dot" color={e.current ? 'green' : 'gray'}>
                    {e.current ? t('employment.current') : t('employment.former')}
                  </Badge>
                </Group>
              ),
            },
            {
              key: 'actions',
              cell: (e) => (
                <Menu position="bottom-end">
                  <Menu.Target>
                    <Button size="compact-xs" variant="subtle" data-testid="employment-actions">
                      {t('app.actions')}
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item onClick={() => setDialog({ kind: 'edit', employment: e })}>{t('app.edit')}</Menu.Item>
                    {e.current && (
                      <Menu.Item onClick={() => setDialog({ kind: 'end', employment: e })} data-testid="employment-end">
                        {t('employment.end')}
                      </Menu.Item>
                    )}
                    <Menu.Item color="red" onClick={() => setDialog({ kind: 'delete', employment: e })}>
                      {t('employment.remove')}
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              ),
            },
          ]}
        />
      )}
      <ConfirmDelete
        opened={dialog?.kind === 'delete'}
        onClose={close}
        title={t('employment.remove')}
        message={t('employment.removeBody', { company: dialog?.kind === 'delete' ? (dialog.employment.companyName ?? '') : '' })}
        onConfirm={async () => {
          if (dialog?.kind === 'delete') await remove.mutateAsync({ kind: 'delete', id: dialog.employment.id });
        }}
      />
      <Modal
        opened={dialog !== null && dialog.kind !== 'delete'}
        onClose={close}
        title={dialog?.kind === 'end' ? t('employment.end') : dialog?.kind === 'edit' ? t('employment.edit') : t('employment.add')}
        data-testid="employment-modal"
      >
        {dialog?.kind === 'add' && <EmploymentForm person={person} onDone={close} />}
        {dialog?.kind === 'edit' && <EmploymentForm person={person} editing={dialog.employment} onDone={close} />}
        {dialog?.kind === 'end' && <EndEmployment person={person} employment={dialog.employment} onDone={close} />}
      </Modal>
    </Stack>
  );
}
