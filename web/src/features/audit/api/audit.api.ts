import type { ApiClient } from '@/api/client';

/** One audit entry (X3): who, when, which fields from → to. */
export interface AuditEntry {
  id: string;
  action: 'created' | 'updated' | 'deleted' | 'reassigned' | 'merged' | string;
  at: string;
  actor: { id: string; name: string | null };
  changes: Record<string, { from: unknown; to: unknown }>;
}

/** `GET <record path>/audit`, newest first. */
export const fetchAudit = async (api: ApiClient, recordPath: string, signal?: AbortSignal) =>
  (await api.get<{ items: AuditEntry[] }>(`${recordPath}/audit`, undefined, signal)).items;
