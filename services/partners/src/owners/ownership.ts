import { z } from 'zod';
import { Roles } from '@kapocs/contracts';
import { departmentOf, hasRole, listQuerySchema, type Principal } from '@kapocs/kit';
import { cannotAssignOwnerOf } from './owners.problems';

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
 * The owner and department of a record being written (P4). Unset values default to the caller and their
 * department on create and to the current values on update; only an actual change is checked, so a rep may
 * send their own id back unchanged.
 */
export function decideOwnership(who: Principal, what: string, wanted: { ownerId?: string | undefined; departmentId?: string | null | undefined }, current?: Ownership): Ownership {
  const base: Ownership = current ?? { ownerId: who.id, departmentId: departmentOf(who) };
  const next: Ownership = {
    ownerId: wanted.ownerId ?? base.ownerId,
    departmentId: wanted.departmentId === undefined ? base.departmentId : wanted.departmentId,
  };
  if (next.ownerId !== base.ownerId && next.ownerId !== who.id && !mayAssignOwners(who)) throw cannotAssignOwnerOf(what);
  if (next.departmentId !== base.departmentId && !mayUseDepartment(who, next.departmentId)) throw cannotAssignOwnerOf(what);
  return next;
}

/** List query with the "mine" shorthand: `ownerId=me` (or a user id) narrows to that owner. */
export const ownerListQuerySchema = listQuerySchema.extend({
  ownerId: z.string().trim().min(1).max(64).optional(),
});
export type OwnerListQuery = z.output<typeof ownerListQuerySchema>;

/** The owner a list is narrowed to by `ownerId=`, with `me` meaning the caller. */
export const ownerFilterOf = (query: { ownerId?: string | undefined }, who: Principal): string | undefined =>
  query.ownerId === 'me' ? who.id : query.ownerId;
