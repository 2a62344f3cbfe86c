import { ProblemTypes } from '@kapocs/contracts';
import { ProblemError } from '../problems';
import { createKeycloakAdmin } from './keycloak-admin';
import { createKeycloakDirectorySnapshotLoader } from './keycloak-loader';

/** A user of the realm as the directory knows them. */
export interface DirectoryUser {
  /** Keycloak user id: the `sub` of their tokens and the `ownerId` of their records. */
  id: string;
  username: string;
  name: string;
  email: string | null;
  enabled: boolean;
  /** crm-* realm roles (effective), sorted. */
  roles: string[];
  /** Department ids: group paths under /departments/ without the prefix, sorted. */
  departments: string[];
}

/** What one load of the directory gives: the users and every department (a group under /departments, with members or not). */
export interface DirectorySnapshot {
  users: DirectoryUser[];
  /** Department ids: group paths under /departments/ without the prefix, sorted. */
  departments: string[];
}

export interface UserDirectory {
  /** The users, optionally those whose name or username contains `q` (case and accents ignored). */
  users(q?: string): Promise<DirectoryUser[]>;
  /** The user with this id. */
  byId(id: string): Promise<DirectoryUser | undefined>;
  /** The user with this username, case ignored. */
  byUsername(username: string): Promise<DirectoryUser | undefined>;
  /** The users with this e-mail address, case ignored (several only when the realm allows duplicate e-mails). */
  byEmail(email: string): Promise<DirectoryUser[]>;
  /** The users whose username or e-mail is `ref`, case ignored: what a person typing "who" into a spreadsheet means. */
  find(ref: string): Promise<DirectoryUser[]>;
  /** The realm's department ids (groups under /departments, nested ones as `parent/child`), sorted. */
  departments(): Promise<string[]>;
  /** Whether this department exists; a miss reloads first (at most once per missRefreshMs), as a user lookup does. */
  hasDepartment(id: string): Promise<boolean>;
}

/** The smallest logger the directory needs (pino's and Fastify's fit). */
export interface DirectoryLog {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

interface CommonOptions {
  /** A loaded copy is used this long; after that the next call answers with it and reloads behind. */
  ttlMs: number;
  /**
   * A lookup that finds nobody reloads at once (a user added a minute ago should be found), but at most once
   * per this many milliseconds, so a file full of unknown names does not hammer Keycloak. Default 10 s.
   */
  missRefreshMs?: number;
  log?: DirectoryLog;
}

export type UserDirectoryOptions = CommonOptions &
  (
    | {
        /** Keycloak's base URL (`http://127.0.0.1:8180`). */
        keycloakUrl: string;
        realm: string;
        /** A confidential client whose service account has realm-management `view-users`. */
        clientId: string;
        clientSecret: string;
        timeoutMs?: number;
      }
    | {
        /**
         * Where the users come from instead of Keycloak (tests, another source). Users alone: the departments are
         * those the users are in.
         */
        load: () => Promise<DirectoryUser[] | DirectorySnapshot>;
      }
  );

/** 502: Keycloak could not give the directory and there is no earlier copy to answer with. */
export const directoryUnavailable = () =>
  new ProblemError({ type: ProblemTypes.badGateway, title: 'Bad gateway', status: 502, detail: 'The user directory (Keycloak) is not reachable; try again shortly.' });

const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
const key = (s: string) => s.trim().toLowerCase();

interface Loaded {
  users: DirectoryUser[];
  byId: Map<string, DirectoryUser>;
  byUsername: Map<string, DirectoryUser>;
  byEmail: Map<string, DirectoryUser[]>;
  departments: Set<string>;
  loadedAt: number;
}

function index(loaded: DirectoryUser[] | DirectorySnapshot): Loaded {
  const users = Array.isArray(loaded) ? loaded : loaded.users;
  const departments = new Set(Array.isArray(loaded) ? users.flatMap((u) => u.departments) : loaded.departments);
  const byEmail = new Map<string, DirectoryUser[]>();
  for (const u of users) if (u.email) byEmail.set(key(u.email), [...(byEmail.get(key(u.email)) ?? []), u]);
  return { users, byId: new Map(users.map((u) => [u.id, u])), byUsername: new Map(users.map((u) => [key(u.username), u])), byEmail, departments, loadedAt: Date.now() };
}

/**
 * The realm's users, read through Keycloak's admin API as a confidential client's service account (or from
 * `load`), kept in memory. Loaded at most once per TTL; concurrent callers share one load. Once loaded, a stale
 * copy answers while the reload runs behind, and keeps answering when the reload fails (logged); with no copy at
 * all the caller gets a 502 problem (`directoryUnavailable`). A lookup that finds nobody reloads first, at most
 * once per `missRefreshMs`.
 */
export function createUserDirectory(opts: UserDirectoryOptions): UserDirectory {
  const load =
    'load' in opts
      ? opts.load
      : createKeycloakDirectorySnapshotLoader(
          createKeycloakAdmin({
            url: opts.keycloakUrl,
            realm: opts.realm,
            clientId: opts.clientId,
            clientSecret: opts.clientSecret,
            ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
          }),
        );
  const missRefreshMs = opts.missRefreshMs ?? 10_000;
  let cached: Loaded | null = null;
  let loading: Promise<Loaded> | null = null;
  // when the last load ended, successful or not: a miss reloads only missRefreshMs after it
  let lastLoadAt = 0;

  function reload(): Promise<Loaded> {
    loading ??= load()
      .then((loaded) => (cached = index(loaded)))
      .catch((err: unknown) => {
        if (cached) {
          opts.log?.warn({ err }, 'directory reload failed; answering with the cached copy');
          return cached;
        }
        opts.log?.error({ err }, 'directory load failed');
        throw directoryUnavailable();
      })
      .finally(() => {
        lastLoadAt = Date.now();
        loading = null;
      });
    return loading;
  }

  async function current(): Promise<Loaded> {
    if (!cached) return reload();
    // stale: answer with the copy at hand while a reload runs behind
    if (Date.now() - cached.loadedAt >= opts.ttlMs) void reload().catch(() => undefined);
    return cached;
  }

  /** Looks up; when nobody is found, reloads (at most once per missRefreshMs, or joins a reload under way) and looks again. */
  async function lookup<T>(find: (d: Loaded) => T, missed: (found: T) => boolean): Promise<T> {
    const found = find(await current());
    if (!missed(found)) return found;
    if (!loading && Date.now() - lastLoadAt < missRefreshMs) return found;
    return find(await reload());
  }

  const none = (u: DirectoryUser | undefined) => u === undefined;
  const empty = (list: DirectoryUser[]) => list.length === 0;

  return {
    async users(q) {
      const { users } = await current();
      if (!q) return users;
      const needle = fold(q);
      return users.filter((u) => fold(u.name).includes(needle) || fold(u.username).includes(needle));
    },
    byId: (id) => lookup((d) => d.byId.get(id), none),
    byUsername: (username) => lookup((d) => d.byUsername.get(key(username)), none),
    byEmail: (email) => lookup((d) => d.byEmail.get(key(email)) ?? [], empty),
    find: (ref) =>
      lookup((d) => {
        const byName = d.byUsername.get(key(ref));
        const byMail = d.byEmail.get(key(ref)) ?? [];
        return [...new Map([...(byName ? [byName] : []), ...byMail].map((u) => [u.id, u])).values()];
      }, empty),
    departments: async () => [...(await current()).departments].sort(),
    hasDepartment: (id) => lookup((d) => d.departments.has(id), (found) => !found),
  };
}
