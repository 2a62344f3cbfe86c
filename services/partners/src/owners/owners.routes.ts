import type { MikroORM } from '@mikro-orm/postgresql';
import type { ServiceApp, UserDirectory } from '@kapocs/kit';
import { resolveOwners } from './owner-directory';
import { reassignResultSchema, reassignSchema } from '@kapocs/contracts';
import { reassignCompanies, reassignPersons } from './owners.service';

const tags = ['owners'];
const DESCRIPTION = 'Hands up to 500 records to another owner in one transaction (audit, `updated` and `owner-changed` events per record). Managers (records they see, departments of their own only), directors and admins; others 403. Ids the caller may not see come back in `notFound`; `departmentId` omitted: each record\'s department follows the new owner (the department it has when it is one of the owner\'s, else the owner\'s first; none when the owner has none) (for a manager preferably one of the owner\'s departments that is also theirs). One rule whichever field expresses the move: the records must end in a department the caller may use (a manager: one of theirs), so a manager handing records to another department\'s rep without naming one of their own departments gets 403. An explicit `departmentId` must exist in the directory (400 naming `departmentId`). An `ownerId` that is not a CRM user (unknown, disabled, no crm-* role) refuses the whole call with 400 naming `ownerId`; an unreachable user directory with 503; nothing is written.';

export function ownersRoutes(app: ServiceApp, orm: MikroORM, directory: UserDirectory) {
  const em = () => orm.em.fork();

  app.post('/companies/reassign', { schema: { tags, body: reassignSchema, description: DESCRIPTION, response: { 200: reassignResultSchema } } },
    async (req) => reassignCompanies(em(), req.principal, req.body, await resolveOwners(directory, req.principal, [req.body.ownerId], [req.body.departmentId])));

  app.post('/persons/reassign', { schema: { tags, body: reassignSchema, description: DESCRIPTION, response: { 200: reassignResultSchema } } },
    async (req) => reassignPersons(em(), req.principal, req.body, await resolveOwners(directory, req.principal, [req.body.ownerId], [req.body.departmentId])));
}
