import { DEPARTMENT_GROUP_PREFIX, Roles } from '@kapocs/contracts';
import { KeycloakAdminError, type KeycloakAdmin } from './keycloak-admin';
import type { DirectorySnapshot, DirectoryUser } from './user-directory';

interface KcUser { id: string; username: string; firstName?: string; lastName?: string; email?: string; enabled?: boolean }
interface KcGroup { id: string; name: string; path: string; subGroupCount?: number }
interface KcRole { name: string }

const PAGE = 200;
const CRM_ROLES: string[] = Object.values(Roles);
const DEPARTMENTS_PATH = DEPARTMENT_GROUP_PREFIX.replace(/\/$/, '');

/** Every page of a paged admin list. */
async function all<T>(admin: KeycloakAdmin, path: string, query: Record<string, string | number | boolean> = {}): Promise<T[]> {
  const out: T[] = [];
  for (let first = 0; ; first += PAGE) {
    const page = await admin.get<T[]>(path, { ...query, first, max: PAGE });
    out.push(...page);
    if (page.length < PAGE) return out;
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const isStatus = (err: unknown, status: number) => err instanceof KeycloakAdminError && err.status === status;

/** Department ids by user id, from the members of each group under /departments (nested ones included), and every department id (members or not). */
async function departmentsByUser(admin: KeycloakAdmin): Promise<{ byUser: Map<string, string[]>; departments: string[] }> {
  const byUser = new Map<string, string[]>();
  const departments: string[] = [];
  let root: KcGroup;
  try {
    root = await admin.get<KcGroup>(`/group-by-path${DEPARTMENTS_PATH}`);
  } catch (err) {
    if (isStatus(err, 404)) return { byUser, departments };
    throw err;
  }
  const walk = async (group: KcGroup): Promise<void> => {
    const children = await all<KcGroup>(admin, `/groups/${group.id}/children`, { briefRepresentation: true });
    for (const child of children) {
      const department = child.path.slice(DEPARTMENT_GROUP_PREFIX.length);
      departments.push(department);
      for (const member of await all<KcUser>(admin, `/groups/${child.id}/members`, { briefRepresentation: true })) {
        byUser.set(member.id, [...(byUser.get(member.id) ?? []), department]);
      }
      if (child.subGroupCount) await walk(child);
    }
  };
  await walk(root);
  return { byUser, departments: [...new Set(departments)].sort() };
}

/** Loads the directory's users (see `createKeycloakDirectorySnapshotLoader`). */
export function createKeycloakDirectoryLoader(admin: KeycloakAdmin): () => Promise<DirectoryUser[]> {
  const load = createKeycloakDirectorySnapshotLoader(admin);
  return async () => (await load()).users;
}

/**
 * Loads the directory: users, their crm-* roles and departments, and the realm's departments (every group under
 * /departments, with members or not). Roles are read per role (`/roles/{role}/users`, five calls) when the
 * service account may (it needs view-realm); otherwise per user (effective roles, one call each, eight at a
 * time). The choice is remembered.
 */
export function createKeycloakDirectorySnapshotLoader(admin: KeycloakAdmin): () => Promise<DirectorySnapshot> {
  let perRoleAllowed = true;

  async function rolesPerRole(): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>();
    for (const role of CRM_ROLES) {
      let members: KcUser[];
      try {
        members = await all<KcUser>(admin, `/roles/${encodeURIComponent(role)}/users`, { briefRepresentation: true });
      } catch (err) {
        if (isStatus(err, 404)) continue;
        throw err;
      }
      for (const m of members) byUser.set(m.id, [...(byUser.get(m.id) ?? []), role]);
    }
    return byUser;
  }

  async function rolesPerUser(users: KcUser[]): Promise<Map<string, string[]>> {
    const roles = await mapLimit(users, 8, (u) => admin.get<KcRole[]>(`/users/${u.id}/role-mappings/realm/composite`, { briefRepresentation: true }));
    return new Map(users.map((u, i) => [u.id, roles[i]!.map((r) => r.name).filter((r) => CRM_ROLES.includes(r))]));
  }

  return async () => {
    const users = await all<KcUser>(admin, '/users', { briefRepresentation: true });
    let roles: Map<string, string[]> | null = null;
    if (perRoleAllowed) {
      try {
        roles = await rolesPerRole();
      } catch (err) {
        if (!isStatus(err, 403)) throw err;
        perRoleAllowed = false;
      }
    }
    roles ??= await rolesPerUser(users);
    const { byUser: departments, departments: departmentIds } = await departmentsByUser(admin);
    const loaded = users
      .map((u) => ({
        id: u.id,
        username: u.username,
        name: [u.firstName, u.lastName].filter(Boolean).join(' ') || u.username,
        email: u.email ?? null,
        enabled: u.enabled !== false,
        roles: [...new Set(roles.get(u.id) ?? [])].sort(),
        departments: [...new Set(departments.get(u.id) ?? [])].sort(),
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'hu'));
    return { users: loaded, departments: departmentIds };
  };
}
