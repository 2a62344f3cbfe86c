import type { MikroORM } from '@mikro-orm/postgresql';
import type { ServiceApp } from '@kapocs/kit';
import { reassignResultSchema, reassignSchema } from './owners.schemas';
import { reassignCompanies, reassignPersons } from './owners.service';

const tags = ['owners'];
const DESCRIPTION = 'Hands up to 500 records to another owner in one transaction (audit, `updated` and `owner-changed` events per record). Managers (records they see, departments of their own only), directors and admins; others 403. Ids the caller may not see come back in `notFound`; `departmentId` omitted keeps each record\'s department.';

export function ownersRoutes(app: ServiceApp, orm: MikroORM) {
  const em = () => orm.em.fork();

  app.post('/companies/reassign', { schema: { tags, body: reassignSchema, description: DESCRIPTION, response: { 200: reassignResultSchema } } },
    async (req) => reassignCompanies(em(), req.principal, req.body));

  app.post('/persons/reassign', { schema: { tags, body: reassignSchema, description: DESCRIPTION, response: { 200: reassignResultSchema } } },
    async (req) => reassignPersons(em(), req.principal, req.body));
}
