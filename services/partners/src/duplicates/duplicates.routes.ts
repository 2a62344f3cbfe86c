import type { MikroORM } from '@mikro-orm/postgresql';
import type { ServiceApp } from '@kapocs/kit';
import { duplicatesPageSchema, duplicatesQuerySchema } from './duplicates.schemas';
import { listDuplicates } from './duplicates.service';
import { settleDuplicateChecks, startDuplicatesWorker } from './duplicates.worker';

export function duplicatesRoutes(app: ServiceApp, orm: MikroORM) {
  const worker = startDuplicatesWorker(orm, app.log);
  app.addHook('onClose', () => worker.stop());

  app.get('/duplicates', {
    schema: {
      tags: ['duplicates'], querystring: duplicatesQuerySchema, response: { 200: duplicatesPageSchema },
      description: 'Likely duplicate pairs (P8) among the records you may see, best first (refreshed after each write by a background worker): companies by tax number, registration number or a name at least 0.6 alike (accent-folded trigrams); persons by e-mail or a name 0.6 alike at a company both work or worked for.',
    },
  }, async (req) => {
    // read your own writes: what is still queued is refreshed first (bounded; the worker does the rest)
    await settleDuplicateChecks(orm, req.query.entity);
    return listDuplicates(orm.em.fork(), req.principal, req.query);
  });
}
