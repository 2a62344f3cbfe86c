import { describe, expect, it } from 'vitest';
import { createUserDirectory, type DirectoryUser } from '@kapocs/kit';
import { applyOwnerCell, lookUpOwnerCells } from './owner-column';

const user = (username: string, over: Partial<DirectoryUser> = {}): DirectoryUser => ({
  id: `id-${username}`, username, name: username, email: `${username}@x.test`, enabled: true, roles: ['crm-sales'], departments: ['north'], ...over,
});

// a realm with the cases a spreadsheet can run into
const directory = createUserDirectory({
  ttlMs: 60_000,
  load: async () => [
    user('anna'),
    user('gone', { enabled: false }),
    user('guest', { roles: [] }),
    // a username that is someone else's e-mail address
    user('eva@x.test', { email: 'eva.private@y.test' }),
    user('evi', { email: 'eva@x.test' }),
  ],
});

async function apply(owner: string | undefined, input: Record<string, unknown> = {}, currentOwnerId?: string) {
  const found = await lookUpOwnerCells(directory, [owner]);
  const errors: { path: string; message: string }[] = [];
  const row = { owner, input };
  const from = applyOwnerCell(row, found, currentOwnerId, (path, message) => errors.push({ path, message }));
  return { from, ownerId: row.input.ownerId, errors };
}

describe('the owner column', () => {
  it('puts the id of the user a username or e-mail names (case ignored) into ownerId', async () => {
    expect(await apply('ANNA')).toEqual({ from: 'owner', ownerId: 'id-anna', errors: [] });
    expect(await apply('Anna@X.test')).toEqual({ from: 'owner', ownerId: 'id-anna', errors: [] });
  });

  it('leaves a row without it alone, the ownerId column included', async () => {
    expect(await apply(undefined)).toEqual({ from: null, ownerId: undefined, errors: [] });
    expect(await apply(undefined, { ownerId: 'id-x' })).toEqual({ from: 'ownerId', ownerId: 'id-x', errors: [] });
  });

  it('refuses nobody, several users, a disabled user and a user without a CRM role, on the owner column', async () => {
    expect((await apply('nobody')).errors).toEqual([{ path: 'owner', message: 'no CRM user has this username or e-mail' }]);
    expect((await apply('eva@x.test')).errors).toEqual([{ path: 'owner', message: "names more than one user (eva@x.test, evi); give the owner's ID instead" }]);
    expect((await apply('gone')).errors).toEqual([{ path: 'owner', message: 'gone is a disabled user' }]);
    expect((await apply('guest@x.test')).errors).toEqual([{ path: 'owner', message: 'guest has no CRM role' }]);
    expect((await apply('guest')).ownerId).toBeUndefined();
  });

  it('keeps a record with its current owner even when that user may no longer be given records (no change)', async () => {
    expect(await apply('gone', {}, 'id-gone')).toEqual({ from: 'owner', ownerId: 'id-gone', errors: [] });
  });

  it('refuses an ownerId column in the same row that names someone else; the same user is fine', async () => {
    expect((await apply('anna', { ownerId: 'id-evi' })).errors).toEqual([{ path: 'owner', message: 'is anna, but the ownerId column names another user (id-evi)' }]);
    expect(await apply('anna', { ownerId: 'id-anna' })).toEqual({ from: 'owner', ownerId: 'id-anna', errors: [] });
  });
});
