import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { MAX_LIMIT } from '@kapocs/contracts';
import { customRulesOf, type ServiceApp, type UserDirectory } from '@kapocs/kit';
import { languageOf } from '../imports/columns';
import { sendSheet } from '../imports/imports.routes';
import { ownerUsernames } from '../owners/owner-directory';
import { ownerListQuerySchema } from '../owners/ownership';
import { personCells, personColumns } from './persons.columns';
import { listPersons } from './persons.service';

const exportQuery = ownerListQuerySchema.omit({ limit: true, cursor: true, count: true });

/** `GET /persons/export.csv|xlsx?q=&filter=&sort=`: the person list as a file, paged through `listPersons` (same visibility and filters). */
export function personExportRoutes(app: ServiceApp, orm: MikroORM, directory: UserDirectory) {
  app.get('/persons/export.:format', { schema: { tags: ['persons'], params: z.object({ format: z.enum(['csv', 'xlsx']) }), querystring: exportQuery } }, async (req, reply) => {
    const em = orm.em.fork();
    const lang = languageOf(req.headers['accept-language']);
    const rules = await customRulesOf(em, 'person');
    const byKey = new Map(rules.map((r) => [r.key, r]));
    const columns = personColumns(rules).filter((c) => c.key !== 'companyTaxNumber');
    const query = { ...req.query, limit: MAX_LIMIT, count: false };
    let page = await listPersons(em, req.principal, query);
    const date = new Date().toISOString().slice(0, 10);
    return sendSheet(reply, req.params.format, `persons-${date}.${req.params.format}`, lang, async (add) => {
      await add(columns.map((c) => c.label[lang]));
      // owner usernames page by page; once the directory is found unreachable the rest of the file goes without them
      let reachable = true;
      for (;;) {
        const owners: Map<string, string> | null = reachable ? await ownerUsernames(directory, page.items.map((x) => x.ownerId), req.log) : null;
        reachable = owners !== null;
        for (const p of page.items) await add(personCells(p, columns, byKey, lang, owners));
        if (!page.nextCursor) break;
        em.clear();
        page = await listPersons(em, req.principal, { ...query, cursor: page.nextCursor });
      }
    });
  });
}
