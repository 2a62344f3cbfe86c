import { requiredIfMatch, setVersionTag, type ServiceApp, type UserDirectory } from '@kapocs/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ownerListQuerySchema } from '../owners/ownership';
import { resolveOwners } from '../owners/owner-directory';
import { companyGroupDetailSchema, pageSchema, companyGroupIdParams, companyGroupSchema, createCompanyGroupSchema, patchCompanyGroupSchema } from '@kapocs/contracts';
import {
  companyGroupAudit, companyGroupDetail, createCompanyGroup, deleteCompanyGroup, findVisibleCompanyGroup, listCompanyGroups, updateCompanyGroup,
} from './company-groups.service';

const tags = ['company groups'];

/** `directory`: the new owner's department when a write changes the owner (the department follows the owner). */
export function companyGroupsRoutes(app: ServiceApp, orm: MikroORM, directory: UserDirectory) {
  const em = () => orm.em.fork();

  app.get('/company-groups', { schema: { tags, querystring: ownerListQuerySchema, description: 'List (q, filter, sort, cursor, count); `ownerId=me` lists the caller\'s own groups. Items carry no members.', response: { 200: pageSchema(companyGroupSchema) } } },
    async (req) => listCompanyGroups(em(), req.principal, req.query));

  app.post('/company-groups', { config: { idempotent: true }, schema: { tags, body: createCompanyGroupSchema, response: { 201: companyGroupDetailSchema } } }, async (req, reply) => {
    const group = await createCompanyGroup(em(), req.principal, req.body, await resolveOwners(directory, req.principal, [req.body.ownerId], [req.body.departmentId]));
    setVersionTag(reply, group.version);
    return reply.code(201).header('location', `/company-groups/${group.id}`).send(await companyGroupDetail(em(), req.principal, group));
  });

  app.get('/company-groups/:id', { schema: { tags, params: companyGroupIdParams, description: 'The group with `members`: the member companies the caller may see.', response: { 200: companyGroupDetailSchema } } }, async (req, reply) => {
    const m = em();
    const group = await findVisibleCompanyGroup(m, req.principal, req.params.id);
    setVersionTag(reply, group.version);
    return companyGroupDetail(m, req.principal, group);
  });

  app.patch('/company-groups/:id', { schema: { tags, params: companyGroupIdParams, body: patchCompanyGroupSchema, response: { 200: companyGroupDetailSchema } } }, async (req, reply) => {
    const group = await updateCompanyGroup(em(), req.principal, req.params.id, requiredIfMatch(req), req.body, await resolveOwners(directory, req.principal, [req.body.ownerId], [req.body.departmentId]));
    setVersionTag(reply, group.version);
    return companyGroupDetail(em(), req.principal, group);
  });

  app.delete('/company-groups/:id', { schema: { tags, params: companyGroupIdParams, description: 'Soft delete with If-Match. Refused with 409 (company-group-has-members) while any company, visible to the caller or not, is still in the group: set their groupId to null first.' } }, async (req, reply) => {
    await deleteCompanyGroup(em(), req.principal, req.params.id, requiredIfMatch(req));
    return reply.code(204).send();
  });

  app.get('/company-groups/:id/audit', { schema: { tags, params: companyGroupIdParams } }, async (req) => ({
    items: await companyGroupAudit(em(), req.principal, req.params.id),
  }));
}
