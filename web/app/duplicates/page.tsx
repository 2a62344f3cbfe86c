import { Suspense } from 'react';
import { DuplicateList } from '@/features/duplicates/components/duplicate-list';

export default function DuplicatesPage() {
  return (
    <Suspense>
      <DuplicateList />
    </Suspense>
  );
}
