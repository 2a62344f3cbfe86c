'use client';

import { Modal } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useI18n } from '@/i18n/i18n-provider';
import type { Company } from '../api/companies.api';
import { CompanyForm } from './company-form';

interface Props {
  opened: boolean;
  onClose: () => void;
  onCreated?: (company: Company) => void;
}

export function CompanyCreateModal({ opened, onClose, onCreated }: Props) {
  const { t } = useI18n();
  return (
    <Modal opened={opened} onClose={onClose} title={t('company.form.title')} size="xl" data-testid="company-form-modal">
      {/* Mounted only while open, so every opening starts from an empty form. */}
      {opened && (
        <CompanyForm
          mode="create"
          onCancel={onClose}
          onSaved={(company) => {
            notifications.show({ color: 'green', message: t('company.form.created', { name: company.name }) });
            onCreated?.(company);
            onClose();
          }}
        />
      )}
    </Modal>
  );
}
