'use client';

import { ActionIcon, Button, Group, TextInput } from '@mantine/core';
import type { FieldValues, Path, UseFormRegister } from 'react-hook-form';
import { useI18n } from '@/i18n/i18n-provider';

const LEAF = { emails: 'address', phones: 'number' } as const;

interface Props<T extends FieldValues> {
  /** The field array the rows edit: e-mail addresses or phone numbers, each with a label. */
  name: keyof typeof LEAF;
  rows: { id: string }[];
  /** The label of the value input (shown on the first row, and as the aria-label of all). */
  label: string;
  register: UseFormRegister<T>;
  errorText: (name: string) => string | undefined;
  onAdd: () => void;
  onRemove: (index: number) => void;
  /** Prefix of the value inputs' data-testids, e.g. `company-form`. */
  testIdPrefix: string;
  /** The first row's remove button moves down this far to line up with the labelled inputs. */
  firstRowOffset: number;
  /** Whether the remove and add buttons carry data-testids too. */
  buttonTestIds?: boolean;
}

/** The e-mail or phone rows of a record form: value, label, remove; and the add button below. */
export function ContactRows<T extends FieldValues>({
  name,
  rows,
  label,
  register,
  errorText,
  onAdd,
  onRemove,
  testIdPrefix,
  firstRowOffset,
  buttonTestIds = false,
}: Props<T>) {
  const { t } = useI18n();
  const leaf = LEAF[name];
  const path = (i: number, field: string) => `${name}.${i}.${field}` as Path<T>;
  return (
    <>
      {rows.map((row, i) => (
        <Group key={row.id} align="flex-start" wrap="nowrap" gap="xs">
          <TextInput
            style={{ flex: 2 }}
            label={i === 0 ? label : undefined}
            aria-label={label}
            type={name === 'emails' ? 'email' : 'tel'}
            {...register(path(i, leaf))}
            error={errorText(path(i, leaf))}
            data-testid={`${testIdPrefix}-${name}.${i}.${leaf}`}
          />
          <TextInput
            style={{ flex: 1 }}
            label={i === 0 ? t('company.field.label') : undefined}
            aria-label={t('company.field.label')}
            placeholder={t('company.field.labelPlaceholder')}
            {...register(path(i, 'label'))}
            error={errorText(path(i, 'label'))}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            onClick={() => onRemove(i)}
            aria-label={t('app.remove')}
            mt={i === 0 ? firstRowOffset : 4}
            data-testid={buttonTestIds ? `${testIdPrefix}-${name}.${i}.remove` : undefined}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button
          variant="subtle"
          size="xs"
          onClick={onAdd}
          data-testid={buttonTestIds ? `${testIdPrefix}-add-${name === 'emails' ? 'email' : 'phone'}` : undefined}
        >
          + {t(name === 'emails' ? 'company.form.addEmail' : 'company.form.addPhone')}
        </Button>
      </Group>
    </>
  );
}
