import type { EntityManager } from '@mikro-orm/postgresql';
import type { CustomFieldRule, Principal, UserDirectory } from '@kapocs/kit';
import type { OwnerFacts } from '../owners/ownership';
import type { Cell, ColumnSpec } from './columns';

/** A row of the file after mapping and validation, as the staging table keeps it. */
export interface StagedRow {
  row: number;
  /** the API input the row gives (only the fields it fills) */
  input: Record<string, unknown>;
  errors: { column: string; message: string }[];
  /** the existing record the row updates (its `id` column) */
  targetId?: string;
  taxKey?: string | null;
  regKey?: string | null;
  nameKey?: string | null;
  emailKey?: string | null;
  /** the company a person row names (for name + company duplicates) */
  companyId?: string | null;
  extSystem?: string | null;
  extKey?: string | null;
}

export interface Duplicate {
  matchId: string | null;
  matchRow: number | null;
  reason: string;
}

export interface RowToCommit {
  row: number;
  input: Record<string, unknown>;
  errors: { column: string; message: string }[];
  duplicates: Duplicate[];
  targetId: string | null;
}

import type { OnDuplicate } from '@kapocs/contracts';
export type { OnDuplicate };

/** What the commit did with one row; `before` is the record as it was, for undo. */
export interface CommitOutcome {
  action: 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';
  recordId?: string;
  versionBefore?: number;
  versionAfter?: number;
  before?: unknown;
  outcome?: Record<string, unknown>;
}

export interface RowToUndo {
  row: number;
  action: 'created' | 'updated';
  recordId: string;
  versionAfter: number;
  before: unknown;
}

export interface UndoOutcome {
  undo: 'undone' | 'conflict';
  reason?: string;
}

/**
 * What an import needs of an entity (company, person): its columns, how a row is checked (the API's own
 * schema and custom rules), how likely duplicates are found, and how rows are written and undone through
 * the entity's use cases.
 */
export interface ImportTarget {
  entity: 'company' | 'person';
  columns(rules: CustomFieldRule[]): ColumnSpec[];
  /** Checks a batch of rows; the owner column's users come from `directory` (unreachable: it throws a 502 problem). */
  stage(em: EntityManager, who: Principal, rules: CustomFieldRule[], rows: { row: number; cells: Map<string, Cell> }[], headerOf: (field: string) => string, directory: UserDirectory): Promise<StagedRow[]>;
  /** One statement that fills `import_row.duplicates` of the import's valid new rows. */
  duplicatesSql(importId: string, who: Principal): { sql: string; bindings: unknown[] };
  /** `owners`: the directory's facts of the owners the rows name (the department follows the owner); unreachable: it throws a 503 problem, nothing of the batch is written. */
  commitBatch(tx: EntityManager, who: Principal, rows: RowToCommit[], policy: OnDuplicate, owners: OwnerFacts): Promise<Map<number, CommitOutcome>>;
  undoBatch(tx: EntityManager, who: Principal, rows: RowToUndo[], owners: OwnerFacts): Promise<Map<number, UndoOutcome>>;
}
