import type { MikroORM } from '@mikro-orm/postgresql';
import type { ServiceApp } from '@kapocs/kit';
import { dismissalParamsSchema, dismissalsPageSchema, dismissalsQuerySchema, dismissDuplicateSchema, duplicateDismissalSchema, duplicatesPageSchema, duplicatesQuerySchema } from '@kapocs/contracts';
import { dismissDuplicate, listDismissals, undoDismissal } from './duplicate-dismissals.service';
import { listDuplicates } from './duplicates.service';
import { settleDuplicateChecks } from './duplicates.worker';

/** `/duplicates`: the pairs (refreshed by the `duplicates.refresh` job, see the service's workers) and dismissals. */
export function duplicatesRoutes(app: ServiceApp, orm: MikroORM) {
  app.get('/duplicates', {
    schema: {
      tags: ['duplicates'], querystring: duplicatesQuerySchema, response: { 200: duplicatesPageSchema },
      description: 'Likely duplicate pairs (P8) among the records you may see, best first (refreshed after each write by a background worker): companies by tax number, registration number or a name at least 0.6 alike (accent-folded trigrams); persons by e-mail or a name 0.6 alike at a company both work or worked for. Pairs dismissed as not duplicates (POST /duplicates/dismissals) are left out.',
    },
  }, async (req) => {
    // read your own writes: what is still queued is refreshed first (bounded; the worker does the rest)
    await settleDuplicateChecks(orm, req.query.entity);
    return listDuplicates(orm.em.fork(), req.principal, req.query);
  });

  const pairPath = (d: { entity: string; aId: string; bId: string }) => `/duplicates/dismissals/${d.entity}/${d.aId}/${d.bId}`;

  app.post('/duplicates/dismissals', {
    config: { idempotent: true },
    schema: {
      tags: ['duplicates'], body: dismissDuplicateSchema, response: { 200: duplicateDismissalSchema, 201: duplicateDismissalSchema },
      description: 'Says two records are not duplicates (P8): the pair leaves GET /duplicates for everyone, and stays out however the records change, until the dismissal is deleted. aId and bId in either order (the answer keeps them in id order). Both records must be visible to you, as in the list (404 otherwise). 201 with Location when dismissed now; a repeat answers 200 with the same dismissal (first who and when) and changes nothing. Audited on both records (duplicate-dismissed). Honours Idempotency-Key.',
    },
  }, async (req, reply) => {
    const { dismissal, created } = await dismissDuplicate(orm.em.fork(), req.principal, req.body);
    return reply.code(created ? 201 : 200).header('location', pairPath(dismissal)).send(dismissal);
  });

  app.get('/duplicates/dismissals', {
    schema: {
      tags: ['duplicates'], querystring: dismissalsQuerySchema, response: { 200: dismissalsPageSchema },
      description: 'Pairs dismissed as not duplicates (P8) whose both records you may see, newest first, keyset paged (limit, cursor). Pairs with a merged or deleted record are not listed.',
    },
  }, async (req) => listDismissals(orm.em.fork(), req.principal, req.query));

  app.delete('/duplicates/dismissals/:entity/:aId/:bId', {
    schema: {
      tags: ['duplicates'], params: dismissalParamsSchema,
      description: 'Undoes a dismissal (ids in either order): the pair shows in GET /duplicates again at once. 204; 404 when either record is not visible to you or the pair is not dismissed. Audited on both records (duplicate-restored).',
    },
  }, async (req, reply) => {
    await undoDismissal(orm.em.fork(), req.principal, req.params);
    return reply.code(204).send();
  });
}
