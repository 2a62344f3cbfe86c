import type { FastifyBaseLogger } from 'fastify';
import type { DirectoryUser } from './directory.schemas';
import { directoryUnavailable } from './directory.problems';

export interface Directory {
  /** The users, optionally those whose name or username contains `q` (case and accents ignored). */
  users(q?: string): Promise<DirectoryUser[]>;
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

/**
 * The user directory, loaded at most once per TTL; concurrent callers share one load. Once loaded, a stale
 * copy answers while the reload runs behind, and keeps answering when the reload fails (logged); with no
 * copy at all the caller gets 502.
 */
export function createDirectory(opts: { load: () => Promise<DirectoryUser[]>; ttlMs: number; log?: FastifyBaseLogger }): Directory {
  let cached: { users: DirectoryUser[]; loadedAt: number } | null = null;
  let loading: Promise<DirectoryUser[]> | null = null;

  function reload(): Promise<DirectoryUser[]> {
    loading ??= opts
      .load()
      .then((users) => {
        cached = { users, loadedAt: Date.now() };
        return users;
      })
      .catch((err: unknown) => {
        if (cached) {
          opts.log?.warn({ err }, 'directory reload failed; answering with the cached copy');
          return cached.users;
        }
        opts.log?.error({ err }, 'directory load failed');
        throw directoryUnavailable();
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  return {
    async users(q) {
      let users: DirectoryUser[];
      if (!cached) users = await reload();
      else {
        // stale: answer with the copy at hand while a reload runs behind
        if (Date.now() - cached.loadedAt >= opts.ttlMs) void reload().catch(() => undefined);
        users = cached.users;
      }
      if (!q) return users;
      const needle = fold(q);
      return users.filter((u) => fold(u.name).includes(needle) || fold(u.username).includes(needle));
    },
  };
}
