import type { EntityManager } from '@mikro-orm/postgresql';
import { Roles, type ImportEntity, type ImportStatus } from '@kapocs/contracts';
import { hasRole, validationProblem, type Principal } from '@kapocs/kit';
import { companyImport } from './company-import';
import { personImport } from './person-import';
import type { ImportTarget, OnDuplicate } from './import-target';
import { cannotImport, importNotFound } from './imports.problems';
import type { FileFormat, TextEncoding } from './spreadsheet';

/** The queue's task that runs an import's current step: the dry run, the commit or the undo. */
export const IMPORT_TASK = 'imports.run';

const targets: Partial<Record<ImportEntity, ImportTarget>> = { company: companyImport, person: personImport };

/** Registers another entity's import (persons register theirs beside their use cases). */
export function registerImportTarget(target: ImportTarget) {
  targets[target.entity] = target;
}

/** The import target of an entity, if it can be imported. */
export const importTargetOf = (entity: string): ImportTarget | undefined => targets[entity as ImportEntity];

export function targetOf(entity: string): ImportTarget {
  const t = targets[entity as ImportEntity];
  if (!t) throw validationProblem([{ path: 'entity', message: `must be one of ${Object.keys(targets).join(', ')}` }]);
  return t;
}

/** An import as `partners.import_job` keeps it. */
export interface JobRow {
  id: string;
  entity: ImportEntity;
  status: ImportStatus;
  file_name: string | null;
  format: FileFormat;
  encoding: TextEncoding | null;
  delimiter: string | null;
  size_bytes: string;
  created_by: string;
  principal: Principal;
  mapping: Record<string, string | null>;
  columns: (string | null)[];
  file_errors: { row: 0; column: string; message: string }[];
  on_duplicate: OnDuplicate | null;
  rows: number;
  processed: number;
  valid: number;
  created: number;
  updated: number;
  undone: number;
  attempts: number;
  failure: string | null;
  failed_in: ImportStatus | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/** Anyone who may write companies or persons may import them. */
export function requireImportRole(who: Principal) {
  if (!hasRole(who, Roles.admin, Roles.director, Roles.manager, Roles.sales, Roles.marketing)) throw cannotImport();
}

/** An import the principal may see: their own, or any for an admin; otherwise 404. */
export async function visibleJob(em: EntityManager, who: Principal, id: string): Promise<JobRow> {
  const [job] = await em.execute<JobRow[]>(`select * from partners.import_job where id = ?`, [id]);
  if (!job || (job.created_by !== who.id && !hasRole(who, Roles.admin))) throw importNotFound();
  return job;
}
