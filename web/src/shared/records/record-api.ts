import type { QueryValue } from '@/api/client';
import type { OwnedListParams } from './list-url-state';

/** The query a list of owned records sends for its search, sort and "mine only" (`ownerId=me`). */
export function ownedListQuery(params: OwnedListParams): Record<string, QueryValue> {
  return { q: params.q.trim(), sort: params.sort, ownerId: params.mineOnly ? 'me' : undefined };
}
