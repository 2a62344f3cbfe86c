import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { MAX_LIMIT } from '@kapocs/contracts';
import { customRulesOf, type ServiceApp, type UserDirectory } from '@kapocs/kit';
import { languageOf } from '../imports/columns';
import { sendSheet } from '../imports/imports.routes';
import { ownerUsernames } from '../owners/owner-directory';
import { ownerListQuerySchema } from '../owners/ownership';
import { companyCells, companyColumns } from './companies.columns';
import { listCompanies } from './companies.service';

const exportQuery = ownerListQuerySchema.omit({ limit: true, cursor: true, count: true });

/**
 * `GET /companies/export.csv|xlsx?q=&filter=&sort=`: the list as a file — the same visibility, filter and sort
 * as `GET /companies` (it pages through that very use case), streamed a keyset page at a time, custom fields
 * as columns. It re-imports as it is (its ID column turns rows into updates).
 */
export function companyExportRoutes(app: ServiceApp, orm: MikroORM, directory: UserDirectory) {
  app.get('/companies/export.:format', { schema: { tags: ['companies'], params: z.object({ format: z.enum(['csv', 'xlsx']) }), querystring: exportQuery } }, async (req, reply) => {
    const em = orm.em.fork();
    const lang = languageOf(req.headers['accept-language']);
    const rules = await customRulesOf(em, 'company');
    const byKey = new Map(rules.map((r) => [r.key, r]));
    const columns = companyColumns(rules).filter((c) => c.key !== 'externalSystem' && c.key !== 'externalId');
    // the first page is read before answering, so a bad filter still answers 400
    const query = { ...req.query, limit: MAX_LIMIT, count: false };
    let page = await listCompanies(em, req.principal, query);
    const date = new Date().toISOString().slice(0, 10);
    return sendSheet(reply, req.params.format, `companies-${date}.${req.params.format}`, lang, async (add) => {
      await add(columns.map((c) => c.label[lang]));
      // owner usernames page by page; once the directory is found unreachable the rest of the file goes without them
      let reachable = true;
      for (;;) {
        const owners: Map<string, string> | null = reachable ? await ownerUsernames(directory, page.items.map((x) => x.ownerId), req.log) : null;
        reachable = owners !== null;
        for (const c of page.items) await add(companyCells(c, columns, byKey, lang, owners));
        if (!page.nextCursor) break;
        em.clear();
        page = await listCompanies(em, req.principal, { ...query, cursor: page.nextCursor });
      }
    });
  });
}
