'use client';

import { ActionIcon, Button, Group, MultiSelect, Paper, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import {
  opsFor,
  rowToCondition,
  valueShape,
  type Combinator,
  type FilterFieldOption,
  type FilterRow,
  type FilterState,
  type UiOp,
} from './filter-rows';

interface Props {
  fields: FilterFieldOption[];
  value: FilterState;
  onApply: (state: FilterState) => void;
  onClose?: () => void;
}

const inputType = (kind: FilterFieldOption['kind']) => (kind === 'date' || kind === 'datetime' ? 'date' : undefined);

function ValueInput({ field, row, onChange }: { field: FilterFieldOption | undefined; row: FilterRow; onChange: (value: FilterRow['value']) => void }) {
  const { t } = useI18n();
  if (!field) return null;
  const shape = valueShape(row.op);
  const common = { 'aria-label': t('filter.value'), 'data-testid': 'filter-value', w: 220 };
  if (shape === 'none') return null;
  const choices =
    field.kind === 'boolean'
      ? [
          { value: 'true', label: t('app.yes') },
          { value: 'false', label: t('app.no') },
        ]
      : field.values;
  if (shape === 'many') {
    const values = Array.isArray(row.value) ? row.value : [];
    if (choices) return <MultiSelect {...common} data={choices} value={values} onChange={onChange} searchable />;
    return (
      <TextInput
        {...common}
        placeholder={t('filter.commaSeparated')}
        value={values.join(', ')}
        onChange={(e) => onChange(e.currentTarget.value.split(',').map((s) => s.trim()))}
      />
    );
  }
  if (shape === 'range') {
    const [a = '', b = ''] = Array.isArray(row.value) ? row.value : [];
    return (
      <Group gap={4} wrap="nowrap">
        <TextInput {...common} w={150} type={inputType(field.kind)} value={a} onChange={(e) => onChange([e.currentTarget.value, b])} />
        <Text size="sm">–</Text>
        <TextInput
          {...common}
          w={150}
          data-testid="filter-value-to"
          type={inputType(field.kind)}
          value={b}
          onChange={(e) => onChange([a, e.currentTarget.value])}
        />
      </Group>
    );
  }
  const single = typeof row.value === 'string' ? row.value : '';
  if (choices) return <Select {...common} data={choices} value={single || null} onChange={(v) => onChange(v ?? '')} searchable />;
  return (
    <TextInput
      {...common}
      type={inputType(field.kind)}
      inputMode={field.kind === 'integer' ? 'numeric' : undefined}
      value={single}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}

/**
 * Builds a filter of the API's filter language: conditions on built-in and custom fields, joined
 * with "and" or "or". Edits a draft; "Apply" hands it over.
 */
export function FilterBuilder({ fields, value, onApply, onClose }: Props) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<FilterState>(value);
  useEffect(() => setDraft(value), [value]);
  const byField = useMemo(() => new Map(fields.map((f) => [f.field, f])), [fields]);

  const fieldData = useMemo(() => {
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const f of fields) {
      const g = f.group ?? '';
      groups.set(g, [...(groups.get(g) ?? []), { value: f.field, label: f.label }]);
    }
    return [...groups].map(([group, items]) => ({ group, items }));
  }, [fields]);

  const setRow = (i: number, row: FilterRow) => setDraft((d) => ({ ...d, rows: d.rows.map((r, j) => (j === i ? row : r)) }));
  const addRow = () => {
    const first = fields[0];
    if (!first) return;
    setDraft((d) => ({ ...d, rows: [...d.rows, { field: first.field, op: opsFor(first.kind)[0]!, value: '' }] }));
  };
  const removeRow = (i: number) => setDraft((d) => ({ ...d, rows: d.rows.filter((_, j) => j !== i) }));

  return (
    <Paper withBorder p="sm" data-testid="filter-builder">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{t('filter.title')}</Text>
          <SegmentedControl
            size="xs"
            value={draft.combinator}
            onChange={(c) => setDraft((d) => ({ ...d, combinator: c as Combinator }))}
            data={[
              { value: 'and', label: t('filter.and') },
              { value: 'or', label: t('filter.or') },
            ]}
            data-testid="filter-combinator"
          />
        </Group>
        {draft.rows.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('filter.none')}
          </Text>
        )}
        {draft.rows.map((row, i) => {
          const field = byField.get(row.field);
          const complete = !!rowToCondition(row, field?.kind);
          return (
            <Group key={i} gap="xs" align="flex-start" data-testid="filter-row" wrap="wrap">
              <Select
                aria-label={t('filter.field')}
                data={fieldData}
                value={row.field}
                searchable
                allowDeselect={false}
                w={220}
                onChange={(f) => {
                  const next = f ? byField.get(f) : undefined;
                  if (!next) return;
                  const ops = opsFor(next.kind);
                  setRow(i, { field: next.field, op: ops.includes(row.op) ? row.op : ops[0]!, value: '' });
                }}
                data-testid="filter-field"
              />
              <Select
                aria-label={t('filter.op')}
                data={opsFor(field?.kind ?? 'string').map((op) => ({ value: op, label: t(`filter.op.${op}` as MessageKey) }))}
                value={row.op}
                allowDeselect={false}
                w={170}
                onChange={(op) => op && setRow(i, { ...row, op: op as UiOp, value: valueShape(op as UiOp) === valueShape(row.op) ? row.value : '' })}
                data-testid="filter-op"
              />
              <ValueInput field={field} row={row} onChange={(v) => setRow(i, { ...row, value: v })} />
              <ActionIcon
                variant="subtle"
                color="red"
                mt={6}
                aria-label={t('filter.remove')}
                onClick={() => removeRow(i)}
                data-testid="filter-remove"
              >
                ✕
              </ActionIcon>
              {!complete && (
                <Text size="xs" c="dimmed" mt={8}>
                  {t('filter.incomplete')}
                </Text>
              )}
            </Group>
          );
        })}
        <Group justify="space-between">
          <Button variant="subtle" size="xs" onClick={addRow} data-testid="filter-add">
            + {t('filter.add')}
          </Button>
          <Group gap="xs">
            <Button
              variant="default"
              size="xs"
              onClick={() => {
                setDraft({ combinator: 'and', rows: [] });
                onApply({ combinator: 'and', rows: [] });
              }}
              data-testid="filter-clear"
            >
              {t('filter.clear')}
            </Button>
            {onClose && (
              <Button variant="default" size="xs" onClick={onClose}>
                {t('app.close')}
              </Button>
            )}
            <Button size="xs" onClick={() => onApply(draft)} data-testid="filter-apply">
              {t('filter.apply')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}
