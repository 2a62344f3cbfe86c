/** Imports of partners (P6), as `GET /imports/{id}` answers them: shared by the partners service and the portal. */

export const IMPORT_ENTITIES = ['company', 'person'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

export const IMPORT_STATUSES = ['validating', 'validated', 'committing', 'committed', 'undoing', 'undone', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** What a commit does with a row that matches an existing record. */
export type OnDuplicate = 'skip' | 'update' | 'create';

export type ImportFileFormat = 'csv' | 'xlsx';
export type ImportTextEncoding = 'utf-8' | 'windows-1250';

/** The dry run's report, then the commit's and the undo's, as far as they got. */
export interface ImportReport {
  id: string;
  entity: ImportEntity;
  status: ImportStatus;
  fileName: string | null;
  format: ImportFileFormat;
  encoding: ImportTextEncoding | null;
  rows: number;
  processed: number;
  valid: number;
  errors: { row: number; column: string; message: string }[];
  errorCount: number;
  duplicates: { row: number; matchId: string | null; matchRow?: number; reason: string }[];
  duplicateCount: number;
  truncated: boolean;
  onDuplicate?: OnDuplicate;
  created?: number;
  updated?: number;
  skipped?: number;
  failed?: number;
  undone?: number;
  conflicts?: { row: number; id: string; reason: string }[];
  failure?: string;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}
