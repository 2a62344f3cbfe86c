'use client';

import Link from 'next/link';
import { useCompanyGroup } from '../hooks/use-company-groups';

/** A company group's name linking to it (its id while loading or when it cannot be seen). */
export function GroupName({ id }: { id: string }) {
  const group = useCompanyGroup(id);
  return <Link href={`/company-groups/${id}`}>{group.data?.name ?? id}</Link>;
}
