import type { UserDirectory } from '@kapocs/kit';
import { lookUpOwner, type OwnerLookup } from '../owners/owner-directory';
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
