import { CustomFieldAdmin } from '@/features/custom-fields/components/custom-field-admin';

export default function CustomFieldsPage() {
  return <CustomFieldAdmin />;
}
