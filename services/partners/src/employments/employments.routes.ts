import { z } from 'zod';
import { requiredIfMatch, setVersionTag, type ServiceApp } from '@kapocs/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import { companyIdParams, companyPersonsSchema, createEmploymentSchema, employmentIdParams, employmentSchema, patchEmploymentSchema, personIdParams } from '@kapocs/contracts';
import {
  addEmployment, companyPersons, deleteEmployment, employmentDto, getEmployment, personEmployments, updateEmployment,
} from './employments.service';

const tags = ['employments'];

/**
 * Employments are part of their person: every answer's ETag is the person's version, and PATCH/DELETE take
 * that ETag in If-Match (POST takes it optionally).
 */
export function employmentsRoutes(app: ServiceApp, orm: MikroORM) {
  const em = () => orm.em.fork();
  const optionalIfMatch = (req: Parameters<typeof requiredIfMatch>[0]) => (req.headers['if-match'] === undefined ? undefined : requiredIfMatch(req));

  app.get('/persons/:id/employments', { schema: { tags, params: personIdParams, response: { 200: z.object({ items: z.array(employmentSchema) }) } } }, async (req, reply) => {
    const { person, items } = await personEmployments(em(), req.principal, req.params.id);
    setVersionTag(reply, person.version);
    return { items };
  });

  app.post('/persons/:id/employments', { config: { idempotent: true }, schema: { tags, params: personIdParams, description: 'Adds an employment at a company the caller may see (else 400 naming companyId). `primary` defaults to true when the person has no current primary employment; a current primary one takes the flag from the others. If-Match (the person\'s ETag) is optional here; the answer\'s ETag is the person\'s new version.', body: createEmploymentSchema, response: { 201: employmentSchema } } }, async (req, reply) => {
    const { person, employment } = await addEmployment(em(), req.principal, req.params.id, req.body, optionalIfMatch(req));
    setVersionTag(reply, person.version);
    return reply.code(201).header('location', `/employments/${employment.id}`).send(await employmentDto(em(), req.principal, person.id, employment.id));
  });

  app.get('/employments/:id', { schema: { tags, params: employmentIdParams, response: { 200: employmentSchema } } }, async (req, reply) => {
    const { person, dto } = await getEmployment(em(), req.principal, req.params.id);
    setVersionTag(reply, person.version);
    return dto;
  });

  app.patch('/employments/:id', { schema: { tags, params: employmentIdParams, description: 'Changes role, dates or primary; ending an employment is setting `to`. If-Match is the PERSON\'s ETag (employments are part of the person); the answer\'s ETag is the person\'s new version. The company cannot change.', body: patchEmploymentSchema, response: { 200: employmentSchema } } }, async (req, reply) => {
    const { person, employment } = await updateEmployment(em(), req.principal, req.params.id, requiredIfMatch(req), req.body);
    setVersionTag(reply, person.version);
    return employmentDto(em(), req.principal, person.id, employment.id);
  });

  app.delete('/employments/:id', { schema: { tags, params: employmentIdParams, description: 'Removes an employment entered by mistake (to end one, PATCH `to`). If-Match is the person\'s ETag.' } }, async (req, reply) => {
    await deleteEmployment(em(), req.principal, req.params.id, requiredIfMatch(req));
    return reply.code(204).send();
  });

  app.get('/companies/:id/persons', { schema: { tags, params: companyIdParams, description: 'The people of a visible company (else 404) that the caller may see: `current` (primary first, then by name) and `former` (latest leavers first).', response: { 200: companyPersonsSchema } } },
    async (req) => companyPersons(em(), req.principal, req.params.id));
}
