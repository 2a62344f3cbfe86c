import { z } from 'zod';
import { Roles } from '@kapocs/contracts';
import { departmentOf, hasRole, listQuerySchema, type Principal } from '@kapocs/kit';
import { cannotAssignOwnerOf, directoryUnreachable, movesOutOfDepartments, notACrmUser, unknownDepartment } from './owners.problems';

export interface Ownership {
  ownerId: string;
  departmentId: string | null;
}

/** Managers, directors and admins may give a record another owner; reps own what they create. */
export const mayAssignOwners = (who: Principal) => hasRole(who, Roles.admin, Roles.director, Roles.manager);

/** Directors and admins may put a record in any department; everyone else only in one of their own (a manager: their departments). */
export function mayUseDepartment(who: Principal, departmentId: string | null): boolean {
  if (hasRole(who, Roles.admin, Roles.director)) return true;
  if (departmentId === departmentOf(who)) return true;
  return departmentId !== null && who.departments.includes(departmentId);
}

/**
 * What the user directory says of a would-be owner, looked up before the write (`resolveOwners`): their
 * departments, why they may not own records (unknown, disabled, no crm-* role), or that the directory could not
 * be reached. The write itself is then judged synchronously by `decideOwnership`, alike in dry runs and commits.
 */
export type OwnerFact = { departments: readonly string[] } | { problem: string } | { unreachable: true };
/** Whether a department a write names exists in the directory, or that the directory could not be reached. */
export type DepartmentFact = { exists: boolean } | { unreachable: true };
/**
 * What the directory says before a write: of the owners it names, by user id (the caller is never in it: their
 * departments come from their token), and of the departments it names, by id (the caller's own are never in it).
 */
export interface OwnerFacts {
  users: ReadonlyMap<string, OwnerFact>;
  departments: ReadonlyMap<string, DepartmentFact>;
}
/** For writes that cannot give a record to anyone but the caller nor name a department. */
export const NO_OWNER_FACTS: OwnerFacts = { users: new Map(), departments: new Map() };

/** The departments of a user who may own records, or the problem (400 naming ownerId, 503) of giving them one. */
export function usableOwnerDepartments(owners: OwnerFacts, ownerId: string): readonly string[] {
  const fact = owners.users.get(ownerId);
  if (!fact) throw new Error(`owner ${ownerId} was not resolved before the write`);
  if ('unreachable' in fact) throw directoryUnreachable('owner');
  if ('problem' in fact) throw notACrmUser(fact.problem);
  return fact.departments;
}

/**
 * A department a write names must exist in the directory (a Keycloak group under /departments): otherwise 400
 * naming `departmentId`, or 503 when the directory cannot be read. "No department" (null) and the caller's own
 * departments (from their token) need no look-up.
 */
export function assertDepartmentKnown(who: Principal, departmentId: string | null, facts: OwnerFacts): void {
  if (departmentId === null || who.departments.includes(departmentId)) return;
  const fact = facts.departments.get(departmentId);
  if (!fact) throw new Error(`department ${departmentId} was not resolved before the write`);
  if ('unreachable' in fact) throw directoryUnreachable('department');
  if (!fact.exists) throw unknownDepartment(departmentId);
}

/**
 * The department a record goes to with an owner who has these departments: the one it has (a record's current
 * department, or on create the caller's) when it is one of them, else the first in sorted order, else none.
 */
export function departmentFollowing(ownerDepartments: readonly string[], preferred: string | null): string | null {
  if (preferred !== null && ownerDepartments.includes(preferred)) return preferred;
  return [...ownerDepartments].sort()[0] ?? null;
}

/**
 * The owner and department of a record being written (P4). Unset values default to the caller and their
 * department on create and to the current values on update; only an actual change is checked, so a rep may
 * send their own id back unchanged.
 *
 * The department follows the owner: when the owner changes and no department is given, the record goes to the
 * new owner's department (`departmentFollowing`; the caller's own departments when the caller takes it, from
 * `owners` — the directory — for anyone else; for a manager, preferably one of the owner's departments that is
 * also the manager's).
 *
 * One rule for every way of moving a record, whichever field expresses it: a write that changes the owner or the
 * department must leave the record in a department the caller may use (`mayUseDepartment`: directors and admins
 * any, a manager one of theirs, anyone else their own), whether that department was named (`departmentId`) or
 * follows the new owner (`ownerId`). So a manager may hand a record to a rep of another department only by
 * keeping it in one of their own departments; otherwise 403 and nothing is written. A named department must exist
 * in the directory (400 naming `departmentId`). A new owner who is not a CRM user is a 400 naming `ownerId`; an
 * unreachable directory a 503.
 */
export function decideOwnership(
  who: Principal,
  what: string,
  wanted: { ownerId?: string | undefined; departmentId?: string | null | undefined },
  current: Ownership | undefined,
  owners: OwnerFacts,
): Ownership {
  const base: Ownership = current ?? { ownerId: who.id, departmentId: departmentOf(who) };
  const ownerId = wanted.ownerId ?? base.ownerId;
  const ownerChanges = ownerId !== base.ownerId;
  if (ownerChanges && ownerId !== who.id && !mayAssignOwners(who)) throw cannotAssignOwnerOf(what);
  const ownerDepartments = !ownerChanges ? null : ownerId === who.id ? who.departments : usableOwnerDepartments(owners, ownerId);
  let departmentId: string | null;
  if (wanted.departmentId !== undefined) departmentId = wanted.departmentId;
  else if (!ownerDepartments) departmentId = base.departmentId;
  else {
    const shared = hasRole(who, Roles.admin, Roles.director) ? [] : ownerDepartments.filter((d) => who.departments.includes(d));
    departmentId = departmentFollowing(shared.length ? shared : ownerDepartments, base.departmentId);
  }
  if (!ownerChanges && departmentId === base.departmentId) return { ownerId, departmentId };
  if (!mayUseDepartment(who, departmentId)) {
    throw wanted.departmentId === undefined && ownerChanges ? movesOutOfDepartments(what) : cannotAssignOwnerOf(what);
  }
  if (wanted.departmentId !== undefined && departmentId !== base.departmentId) assertDepartmentKnown(who, departmentId, owners);
  return { ownerId, departmentId };
}

/** List query with the "mine" shorthand: `ownerId=me` (or a user id) narrows to that owner. */
export const ownerListQuerySchema = listQuerySchema.extend({
  ownerId: z.string().trim().min(1).max(64).optional(),
});
export type OwnerListQuery = z.output<typeof ownerListQuerySchema>;

/** The owner a list is narrowed to by `ownerId=`, with `me` meaning the caller. */
export const ownerFilterOf = (query: { ownerId?: string | undefined }, who: Principal): string | undefined =>
  query.ownerId === 'me' ? who.id : query.ownerId;
