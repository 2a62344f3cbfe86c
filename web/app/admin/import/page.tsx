import { Suspense } from 'react';
import { ImportWizard } from '@/features/imports/components/import-wizard';

export default function ImportPage() {
  // The wizard keeps the import's id in the URL, so a reload resumes it.
  return (
    <Suspense>
      <ImportWizard />
    </Suspense>
  );
}
