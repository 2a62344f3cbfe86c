import { Suspense } from 'react';
import { MergePage } from '@/features/duplicates/components/merge-page';

export default function DuplicateMergePage() {
  return (
    <Suspense>
      <MergePage />
    </Suspense>
  );
}
