import { z } from 'zod';
import { Roles } from '@kapocs/contracts';
import { departmentOf, hasRole, listQuerySchema, type Principal } from '@kapocs/kit';
import { cannotAssignOwnerOf, directoryUnreachable, notACrmUser } from './owners.problems';

export interface Ownership {
  ownerId: string;
  departmentId: string | null;
}

/** Managers, directors and admins may give a record another owner; reps own what they create. */
export const mayAssignOwners = (who: Principal) => hasRole(who, Roles.admin, Roles.director, Roles.manager);

/** Directors and admins may put a record in any department, a manager in one of theirs, anyone else only in their own. */
export function mayUseDepartment(who: Principal, departmentId: string | null): boolean {
  if (hasRole(who, Roles.admin, Roles.director)) return true;
  if (departmentId === departmentOf(who)) return true;
  return hasRole(who, Roles.manager) && departmentId !== null && who.departments.includes(departmentId);
}

/**
 * What the user directory says of a would-be owner, looked up before the write (`resolveOwners`): their
 * departments, why they may not own records (unknown, disabled, no crm-* role), or that the directory could not
 * be reached. The write itself is then judged synchronously by `decideOwnership`, alike in dry runs and commits.
 */
export type OwnerFact = { departments: readonly string[] } | { problem: string } | { unreachable: true };
/** Facts by owner id; the caller themselves is never in it (their departments come from their token). */
export type OwnerFacts = ReadonlyMap<string, OwnerFact>;
/** For writes that cannot give a record to anyone but the caller. */
export const NO_OWNER_FACTS: OwnerFacts = new Map();

/** The departments of a user who may own records, or the problem (400 naming ownerId, 503) of giving them one. */
export function usableOwnerDepartments(owners: OwnerFacts, ownerId: string): readonly string[] {
  const fact = owners.get(ownerId);
  if (!fact) throw new Error(`owner ${ownerId} was not resolved before the write`);
  if ('unreachable' in fact) throw directoryUnreachable();
  if ('problem' in fact) throw notACrmUser(fact.problem);
  return fact.departments;
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
 * `owners` — the directory — for anyone else). A derived department is not the caller's choice, so it is not
 * checked by `mayUseDepartment`: a manager may hand a record to another department's rep, and it leaves their
 * view. An explicit `departmentId` is checked as before. A new owner who is not a CRM user is a 400 naming
 * `ownerId`; an unreachable directory a 503.
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
  if (wanted.departmentId !== undefined) {
    if (wanted.departmentId !== base.departmentId && !mayUseDepartment(who, wanted.departmentId)) throw cannotAssignOwnerOf(what);
    return { ownerId, departmentId: wanted.departmentId };
  }
  return { ownerId, departmentId: ownerDepartments ? departmentFollowing(ownerDepartments, base.departmentId) : base.departmentId };
}

/** List query with the "mine" shorthand: `ownerId=me` (or a user id) narrows to that owner. */
export const ownerListQuerySchema = listQuerySchema.extend({
  ownerId: z.string().trim().min(1).max(64).optional(),
});
export type OwnerListQuery = z.output<typeof ownerListQuerySchema>;

/** The owner a list is narrowed to by `ownerId=`, with `me` meaning the caller. */
export const ownerFilterOf = (query: { ownerId?: string | undefined }, who: Principal): string | undefined =>
  query.ownerId === 'me' ? who.id : query.ownerId;
