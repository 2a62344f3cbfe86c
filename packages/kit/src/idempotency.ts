import fp from 'fastify-plugin';
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

/**
 * `Idempotency-Key` for creating POSTs: the first request claims the key; its successful answer (status,
 * body, ETag and Location) is stored and replayed for any later request with the same key by the same user.
 * A key still in flight answers 409; a key reused for another route answers 422.
 */
export const idempotencyPlugin = fp<{ orm: MikroORM }>(
  async (app, { orm }) => {
    const schema = orm.config.get('schema');
    const table = `"${schema}"."idempotency_key"`;
    const db = () => orm.em.getConnection();

    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config?.idempotent) return;
      const key = request.headers['idempotency-key'];
      if (key === undefined) return;
      if (typeof key !== 'string' || !KEY_RE.test(key)) {
        throw new ProblemError({ type: ProblemTypes.validation, title: 'Invalid request', status: 400, errors: [{ path: 'headers.idempotency-key', message: 'must be 8–200 letters, digits, ".", ":", "_" or "-"' }] });
      }
      const who = request.principal.id;
      const path = request.routeOptions.url ?? request.url;
      const claimed = await db().execute(
        `insert into ${table} (principal_id, key, method, path) values (?, ?, ?, ?) on conflict do nothing returning key`,
        [who, key, request.method, path],
      );
      if (claimed.length) {
        request.idempotencyKey = key;
        return;
      }
      // a claim left by a process that died mid-request is abandoned after a minute and may be taken over
      const retaken = await db().execute(
        `update ${table} set created_at = now(), method = ?, path = ? where principal_id = ? and key = ? and status is null and created_at < now() - interval '1 minute' returning key`,
        [request.method, path, who, key],
      );
      if (retaken.length) {
        request.idempotencyKey = key;
        return;
      }
      const [prior] = await db().execute<{ method: string; path: string; status: number | null; body: unknown; headers: Record<string, string> | null }[]>(
        `select method, path, status, body, headers from ${table} where principal_id = ? and key = ?`,
        [who, key],
      );
      if (!prior) return;
      if (prior.method !== request.method || prior.path !== path) {
        throw new ProblemError({ type: ProblemTypes.conflict, title: 'Idempotency-Key reused', status: 422, detail: 'This key was used for another request.' });
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
  },
  { name: 'kapocs-idempotency', dependencies: ['kapocs-auth'] },
);
