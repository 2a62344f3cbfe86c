import { Suspense } from 'react';
import { CompanyList } from '@/features/companies/components/company-list';

export default function CompaniesPage() {
  // The list reads its filters from the URL, which is known only in the browser.
  return (
    <Suspense>
      <CompanyList />
    </Suspense>
  );
}
