import { customRulesOf, requiredIfMatch, setVersionTag, throwIfBodyInvalid, type ServiceApp, type UserDirectory } from '@kapocs/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ownerListQuerySchema } from '../owners/ownership';
import { resolveOwners } from '../owners/owner-directory';
import { companyDetailSchema, companyIdParams, companySchema, createCompanySchema, pageSchema, patchCompanySchema } from '@kapocs/contracts';
import { externalIdsOf } from '../external-ids/external-ids.service';
import { orGoneIfMerged } from '../merge/merge.service';
import { companyAudit, createCompany, deleteCompany, findVisibleCompany, listCompanies, toCompanyDto, updateCompany } from './companies.service';

const tags = ['companies'];

/** `directory`: the new owner's department when a write changes the owner (the department follows the owner). */
export function companiesRoutes(app: ServiceApp, orm: MikroORM, directory: UserDirectory) {
  const em = () => orm.em.fork();

  app.get('/companies', { schema: { tags, querystring: ownerListQuerySchema, response: { 200: pageSchema(companySchema) } } },
    async (req) => listCompanies(em(), req.principal, req.query));

  app.post('/companies', { attachValidation: true, config: { idempotent: true }, schema: { tags, body: createCompanySchema, response: { 201: companySchema } } }, async (req, reply) => {
    if (req.validationError) throwIfBodyInvalid(req.validationError, await customRulesOf(em(), 'company'), req.body, { mode: 'create', subtypeField: 'kind' });
    const company = await createCompany(em(), req.principal, req.body, await resolveOwners(directory, req.principal, [req.body.ownerId], [req.body.departmentId]));
    setVersionTag(reply, company.version);
    return reply.code(201).header('location', `/companies/${company.id}`).send(toCompanyDto(company));
  });

  // one company also answers its external ids (P7); a merged one answers 410 pointing at the survivor (P8)
  app.get('/companies/:id', { schema: { tags, params: companyIdParams, response: { 200: companyDetailSchema } } }, async (req, reply) => {
    const m = em();
    const company = await findVisibleCompany(m, req.principal, req.params.id).catch(orGoneIfMerged(m, req.principal, 'company', req.params.id));
    setVersionTag(reply, company.version);
    return { ...toCompanyDto(company), externalIds: await externalIdsOf(m, 'company', company.id) };
  });

  app.patch('/companies/:id', { attachValidation: true, schema: { tags, params: companyIdParams, body: patchCompanySchema, response: { 200: companySchema } } }, async (req, reply) => {
    if (req.validationError) throwIfBodyInvalid(req.validationError, await customRulesOf(em(), 'company'), req.body, { mode: 'patch' });
    const company = await updateCompany(em(), req.principal, req.params.id, requiredIfMatch(req), req.body, await resolveOwners(directory, req.principal, [req.body.ownerId], [req.body.departmentId]));
    setVersionTag(reply, company.version);
    return toCompanyDto(company);
  });

  app.delete('/companies/:id', { schema: { tags, params: companyIdParams } }, async (req, reply) => {
    await deleteCompany(em(), req.principal, req.params.id, requiredIfMatch(req));
    return reply.code(204).send();
  });

  app.get('/companies/:id/audit', { schema: { tags, params: companyIdParams } }, async (req) => ({
    items: await companyAudit(em(), req.principal, req.params.id),
  }));
}
