import { z } from 'zod';
import { createUserDirectory, loadConfig, ProblemError, type DirectoryLog, type DirectoryUser, type Principal, type UserDirectory } from '@kapocs/kit';
import { mayAssignOwners, type DepartmentFact, type OwnerFact, type OwnerFacts } from './ownership';

/**
 * Keys of the environment the owner look-ups read: Keycloak's admin API as the partners service's own
 * confidential client (`crm-partners`, realm-management `view-users` only; deploy/keycloak/crm-realm.json).
 */
export const ownerDirectoryConfigShape = {
  KEYCLOAK_URL: z.string().url(),
  KEYCLOAK_REALM: z.string().default('crm'),
  KEYCLOAK_PARTNERS_CLIENT_ID: z.string().default('crm-partners'),
  KEYCLOAK_PARTNERS_CLIENT_SECRET: z.string().min(1),
  /** How long a loaded copy of the users is used before it is reloaded behind. */
  DIRECTORY_TTL_SECONDS: z.coerce.number().int().min(0).default(60),
  /** A name nobody has reloads the users at once, but at most once per this many seconds. */
  DIRECTORY_MISS_REFRESH_SECONDS: z.coerce.number().int().min(0).default(10),
};

/** The realm's users as partners sees them (the kit's directory); a missing key fails at start with its name. */
export function ownerDirectoryOf(env: Record<string, string | undefined>, log: DirectoryLog): UserDirectory {
  const config = loadConfig(ownerDirectoryConfigShape, env);
  return createUserDirectory({
    keycloakUrl: config.KEYCLOAK_URL,
    realm: config.KEYCLOAK_REALM,
    clientId: config.KEYCLOAK_PARTNERS_CLIENT_ID,
    clientSecret: config.KEYCLOAK_PARTNERS_CLIENT_SECRET,
    ttlMs: config.DIRECTORY_TTL_SECONDS * 1000,
    missRefreshMs: config.DIRECTORY_MISS_REFRESH_SECONDS * 1000,
    log,
  });
}

/** Who a username or e-mail names, or why it names nobody who may own records. */
export type OwnerLookup = { user: DirectoryUser; problem?: string } | { user?: undefined; problem: string };

/** A user may be given records when their account is enabled and they have a crm-* role. */
export function ownerProblemOf(user: DirectoryUser): string | undefined {
  if (!user.enabled) return `${user.username} is a disabled user`;
  if (!user.roles.length) return `${user.username} has no CRM role`;
  return undefined;
}

/**
 * The user a spreadsheet's owner cell names: a username or an e-mail address, case ignored. Nobody, or more
 * than one user (a username that is another user's e-mail, a shared e-mail), is a problem; so is a user who
 * may not own records (reported with the user, since keeping such a record's current owner is no change).
 */
export async function lookUpOwner(directory: UserDirectory, ref: string): Promise<OwnerLookup> {
  const found = await directory.find(ref);
  if (found.length === 0) return { problem: 'no CRM user has this username or e-mail' };
  if (found.length > 1) return { problem: `names more than one user (${found.map((u) => u.username).sort().join(', ')}); give the owner's ID instead` };
  const user = found[0]!;
  const problem = ownerProblemOf(user);
  return problem ? { user, problem } : { user };
}

/**
 * The usernames of these owner ids, for exports. When the directory cannot be reached the answer is empty
 * and a warning is logged: an export does not fail for want of a readable owner.
 */
export async function ownerUsernames(directory: UserDirectory, ids: Iterable<string>, log: DirectoryLog): Promise<Map<string, string> | null> {
  const out = new Map<string, string>();
  try {
    for (const id of new Set(ids)) {
      const user = await directory.byId(id);
      if (user) out.set(id, user.username);
    }
    return out;
  } catch (err) {
    if (!(err instanceof ProblemError)) throw err;
    log.warn({ err }, 'user directory unreachable: the export leaves the owner column empty');
    return null;
  }
}

/**
 * What the directory says of the users these ids would make owners and of the departments these ids name, for
 * `decideOwnership` (looked up once, before the write's transaction). The caller is left out (their departments
 * are in their token), and so is every owner when the caller may not assign owners at all (the rule refuses that
 * first); so are the caller's own departments and "no department". When the directory cannot be reached the ids
 * are marked unreachable rather than failing here: only a write that actually changes the owner or the department
 * needs the directory, so an edit that sends the current values back still works.
 */
export async function resolveOwners(
  directory: UserDirectory, who: Principal, ids: Iterable<string | null | undefined>, departmentIds: Iterable<string | null | undefined> = [],
): Promise<OwnerFacts> {
  const users = new Map<string, OwnerFact>();
  const departments = new Map<string, DepartmentFact>();
  let reachable = true;
  for (const id of mayAssignOwners(who) ? new Set(ids) : []) {
    if (typeof id !== 'string' || id === who.id || users.has(id)) continue;
    if (!reachable) { users.set(id, { unreachable: true }); continue; }
    try {
      const user = await directory.byId(id);
      const problem = user ? ownerProblemOf(user) : 'no CRM user has this id';
      users.set(id, problem ? { problem } : { departments: user!.departments });
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      reachable = false;
      users.set(id, { unreachable: true });
    }
  }
  for (const id of new Set(departmentIds)) {
    if (typeof id !== 'string' || who.departments.includes(id) || departments.has(id)) continue;
    if (!reachable) { departments.set(id, { unreachable: true }); continue; }
    try {
      departments.set(id, { exists: await directory.hasDepartment(id) });
    } catch (err) {
      if (!(err instanceof ProblemError)) throw err;
      reachable = false;
      departments.set(id, { unreachable: true });
    }
  }
  return { users, departments };
}
