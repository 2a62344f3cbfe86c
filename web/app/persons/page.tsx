import { Suspense } from 'react';
import { PersonList } from '@/features/persons/components/person-list';

export default function PersonsPage() {
  return (
    <Suspense>
      <PersonList />
    </Suspense>
  );
}
