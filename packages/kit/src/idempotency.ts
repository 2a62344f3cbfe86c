import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ProblemTypes } from '@kapocs/contracts';
import { ProblemError } from './problems';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This POST honours `Idempotency-Key`: a replay answers the first answer. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

const KEY_RE = /^[\w.:-]{8,200}$/;

/** How long a key binds its answer; older keys are free again and deleted by the cleanup job. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
const CLEANUP_EVERY_MS = 3_600_000;

/**
 * What makes two requests "the same request" for a key: method, route, and a hash of the body. A parsed
 * body is hashed as JSON; a streamed body (multipart uploads, read by the handler) is not read here, so for
 * those the key binds method and route only.
 */
function fingerprintOf(request: FastifyRequest, path: string): string {
  const h = createHash('sha256').update(`${request.method} ${path}\n`);
  if (request.body !== undefined) h.update(JSON.stringify(request.body) ?? '');
  return h.digest('base64url');
}

const reused = (detail: string) => new ProblemError({ type: ProblemTypes.conflict, title: 'Idempotency-Key reused', status: 422, detail });

/**
 * `Idempotency-Key` for creating POSTs: the first request claims the key; its successful answer (status,
 * body, ETag and Location) is stored and replayed for a later request with the same key by the same user and
 * the same fingerprint (method, route, body). The same key with another body or route answers 422 and
 * changes nothing; a key still in flight answers 409. Keys expire after 24 hours; a job deletes them.
 */
export const idempotencyPlugin = fp<{ orm: MikroORM; cleanupEveryMs?: number }>(
  async (app, { orm, cleanupEveryMs = CLEANUP_EVERY_MS }) => {
    const schema = orm.config.get('schema');
    const table = `"${schema}"."idempotency_key"`;
    const db = () => orm.em.getConnection();
    const ttl = `interval '${IDEMPOTENCY_KEY_TTL_HOURS} hours'`;

    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config?.idempotent) return;
      const key = request.headers['idempotency-key'];
      if (key === undefined) return;
      if (typeof key !== 'string' || !KEY_RE.test(key)) {
        throw new ProblemError({ type: ProblemTypes.validation, title: 'Invalid request', status: 400, errors: [{ path: 'headers.idempotency-key', message: 'must be 8–200 letters, digits, ".", ":", "_" or "-"' }] });
      }
      const who = request.principal.id;
      const path = request.routeOptions.url ?? request.url;
      const fingerprint = fingerprintOf(request, path);
      const claimed = await db().execute(
        `insert into ${table} (principal_id, key, method, path, fingerprint) values (?, ?, ?, ?, ?) on conflict do nothing returning key`,
        [who, key, request.method, path, fingerprint],
      );
      if (claimed.length) {
        request.idempotencyKey = key;
        return;
      }
      // an expired key is free again; a claim left by a process that died mid-request is abandoned after a
      // minute and may be taken over by the same request
      const retaken = await db().execute(
        `update ${table} set created_at = now(), method = ?, path = ?, fingerprint = ?, status = null, body = null, headers = null
          where principal_id = ? and key = ?
            and (created_at < now() - ${ttl} or (status is null and created_at < now() - interval '1 minute' and fingerprint is not distinct from ?))
          returning key`,
        [request.method, path, fingerprint, who, key, fingerprint],
      );
      if (retaken.length) {
        request.idempotencyKey = key;
        return;
      }
      const [prior] = await db().execute<{ method: string; path: string; fingerprint: string | null; status: number | null; body: unknown; headers: Record<string, string> | null }[]>(
        `select method, path, fingerprint, status, body, headers from ${table} where principal_id = ? and key = ?`,
        [who, key],
      );
      if (!prior) return;
      if (prior.method !== request.method || prior.path !== path) throw reused('This key was used for another request.');
      // keys stored before fingerprints were kept (null) bind method and route only
      if (prior.fingerprint !== null && prior.fingerprint !== fingerprint) {
        throw reused('This key was used for a request with another body; use a new key for a new request.');
      }
      if (prior.status === null) {
        throw new ProblemError({ type: ProblemTypes.conflict, title: 'Request in progress', status: 409, detail: 'A request with this Idempotency-Key is still being processed.' });
      }
      reply.header('idempotent-replayed', 'true');
      if (prior.headers) reply.headers(prior.headers);
      return reply.code(prior.status).send(prior.body);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const key = request.idempotencyKey;
      if (!key) return payload;
      const who = request.principal.id;
      if (reply.statusCode >= 300) {
        // only a success is an answer to replay: a refused or failed request frees the key for a corrected retry
        await db().execute(`delete from ${table} where principal_id = ? and key = ?`, [who, key]);
        return payload;
      }
      const keep: Record<string, string> = { 'content-type': String(reply.getHeader('content-type') ?? 'application/json') };
      for (const h of ['etag', 'location']) {
        const v = reply.getHeader(h);
        if (v !== undefined) keep[h] = String(v);
      }
      let body: unknown = null;
      try { body = typeof payload === 'string' ? JSON.parse(payload) : null; } catch { body = payload; }
      await db().execute(`update ${table} set status = ?, body = ?::jsonb, headers = ?::jsonb where principal_id = ? and key = ?`, [
        reply.statusCode, JSON.stringify(body), JSON.stringify(keep), who, key,
      ]);
      return payload;
    });

    // The cleanup job: every replica may run it, deleting is idempotent; a database outage only skips a round.
    const cleanup = () =>
      db()
        .execute(`delete from ${table} where created_at < now() - ${ttl}`)
        .catch((err) => app.log.warn({ err: { message: (err as Error).message } }, 'idempotency key cleanup failed; next round retries'));
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      void cleanup();
      timer = setInterval(() => void cleanup(), cleanupEveryMs);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'kapocs-idempotency', dependencies: ['kapocs-auth'] },
);
