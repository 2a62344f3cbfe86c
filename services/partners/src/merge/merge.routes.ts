import type { MikroORM } from '@mikro-orm/postgresql';
import { setVersionTag, type ServiceApp } from '@kapocs/kit';
import { companyMergeResultSchema, mergeCompaniesSchema, mergePersonsSchema, personMergeResultSchema } from '@kapocs/contracts';
import { toCompanyDto } from '../companies/companies.service';
import { externalIdsOf } from '../external-ids/external-ids.service';
import { toPersonDto } from '../persons/persons.service';
import { mergeCompanies, mergePersons } from './merge.service';

const tags = ['merge'];
const COMBINED_DOC = 'Employments at one company whose periods now overlap or touch are combined into one (earliest from, latest to, the survivor\'s role, primary if either was); combinedEmployments lists them.';
const VERSIONS_DOC = 'Both versions go in the body as versions: { survivor, merged } (the ETags the user compared): missing 428, stale 412 with nothing changed.';

export function mergeRoutes(app: ServiceApp, orm: MikroORM) {
  app.post('/companies/merge', {
    schema: {
      tags, body: mergeCompaniesSchema, response: { 200: companyMergeResultSchema },
      description: `Merges mergedId into survivorId (P8) and answers the survivor. ${VERSIONS_DOC} ${COMBINED_DOC} Managers (their departments), directors, admins.`,
    },
  }, async (req, reply) => {
    const em = orm.em.fork();
    const { company, combinedEmployments } = await mergeCompanies(em, req.principal, req.body);
    setVersionTag(reply, company.version);
    return { ...toCompanyDto(company), externalIds: await externalIdsOf(em, 'company', company.id), combinedEmployments };
  });

  app.post('/persons/merge', {
    schema: {
      tags, body: mergePersonsSchema, response: { 200: personMergeResultSchema },
      description: `Merges mergedId into survivorId (P8) and answers the survivor. ${VERSIONS_DOC} ${COMBINED_DOC} Managers (their departments), directors, admins.`,
    },
  }, async (req, reply) => {
    const em = orm.em.fork();
    const { person, combinedEmployments } = await mergePersons(em, req.principal, req.body);
    setVersionTag(reply, person.version);
    return { ...(await toPersonDto(em, req.principal, person)), externalIds: await externalIdsOf(em, 'person', person.id), combinedEmployments };
  });
}
