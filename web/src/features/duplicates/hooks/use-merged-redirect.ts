'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { ApiError } from '@/api/api-error';

/** The survivor's id when the error is the 410 of a record merged into another (P8). */
export function mergedInto(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 410) return undefined;
  const id = (error.problem as { mergedInto?: unknown }).mergedInto;
  return typeof id === 'string' ? id : undefined;
}

/** Opening a merged record's old URL goes on to the survivor's page. */
export function useMergedRedirect(error: unknown, basePath: '/companies' | '/persons'): string | undefined {
  const router = useRouter();
  const survivor = mergedInto(error);
  useEffect(() => {
    if (survivor) router.replace(`${basePath}/${survivor}`);
  }, [survivor, basePath, router]);
  return survivor;
}
