import { directoryUnavailable, ProblemError, type Principal, type UserDirectory } from '@kapocs/kit';
import { lookUpOwner, resolveOwners, type OwnerLookup } from '../owners/owner-directory';
import { decideOwnership, type OwnerFacts, type Ownership } from '../owners/ownership';
import type { ColumnSpec } from './columns';

/**
 * The owner as people write it in a spreadsheet: a CRM user's username or e-mail. The template shows it (with
 * the importing user's username as the example); `ownerId` stays for integrations and exports.
 */
export const OWNER_COLUMN: ColumnSpec = {
  key: 'owner',
  label: { hu: 'Tulajdonos', en: 'Owner' },
  aliases: ['ownerUsername', 'ownerEmail', 'Owner username', 'Owner e-mail', 'Tulajdonos e-mail', 'Tulajdonos felhasználóneve', 'Felelős', 'Felelős e-mail', 'Felelős felhasználóneve'],
};

/** The owner cells of a batch, looked up once per distinct text (case ignored). */
export async function lookUpOwnerCells(directory: UserDirectory, refs: (string | undefined)[]): Promise<Map<string, OwnerLookup>> {
  const out = new Map<string, OwnerLookup>();
  for (const ref of refs) {
    if (ref === undefined || out.has(ref.toLowerCase())) continue;
    out.set(ref.toLowerCase(), await lookUpOwner(directory, ref));
  }
  return out;
}

/**
 * Puts the user a row's owner cell names into its input as `ownerId`, or reports on the owner column why it
 * cannot: nobody or several users by that name, a user who may not own records (unless they already own the
 * record the row updates: keeping an owner is no change), or an `ownerId` column in the same row naming someone
 * else. Answers the column the row's ownerId comes from, for the ownership check that follows.
 */
export function applyOwnerCell(
  row: { owner?: string | undefined; input: Record<string, unknown> },
  found: Map<string, OwnerLookup>,
  currentOwnerId: string | undefined,
  add: (path: string, message: string) => void,
): 'owner' | 'ownerId' | null {
  if (row.owner === undefined) return typeof row.input.ownerId === 'string' ? 'ownerId' : null;
  const lookup = found.get(row.owner.toLowerCase())!;
  if (!lookup.user) {
    add('owner', lookup.problem);
    return null;
  }
  if (typeof row.input.ownerId === 'string' && row.input.ownerId !== lookup.user.id) {
    add('owner', `is ${lookup.user.username}, but the ownerId column names another user (${row.input.ownerId})`);
    return null;
  }
  if (lookup.problem && lookup.user.id !== currentOwnerId) {
    add('owner', lookup.problem);
    return null;
  }
  row.input.ownerId = lookup.user.id;
  return 'owner';
}

/**
 * What the directory says of every owner a batch's rows name (the owner column's users and the ownerId
 * column's ids), for the ownership rule: the dry run judges rows with it as the commit will.
 */
export async function ownerFactsOfRows(directory: UserDirectory, who: Principal, found: Map<string, OwnerLookup>, rows: { input: Record<string, unknown> }[]): Promise<OwnerFacts> {
  const ids = [...[...found.values()].map((l) => l.user?.id), ...rows.map((r) => (typeof r.input.ownerId === 'string' ? r.input.ownerId : undefined))];
  return resolveOwners(directory, who, ids);
}

/**
 * The ownership rule (`decideOwnership`) on a row, its refusals reported on the column the owner came from: a
 * rep giving a record away, a new owner who is not a CRM user. An unreachable directory fails the dry run
 * (nothing is wrong with the file).
 */
export function judgeRowOwnership(
  who: Principal, what: string, ownerId: string, current: Ownership | undefined, owners: OwnerFacts,
  add: (message: string) => void,
): void {
  try {
    decideOwnership(who, what, { ownerId }, current, owners);
  } catch (err) {
    if (!(err instanceof ProblemError)) throw err;
    if (err.status === 503) throw directoryUnavailable();
    add(err.errors?.[0]?.message ?? err.detail ?? err.title);
  }
}
