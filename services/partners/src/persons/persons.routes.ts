import { customRulesOf, requiredIfMatch, setVersionTag, throwIfBodyInvalid, type ServiceApp, type UserDirectory } from '@kapocs/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ownerListQuerySchema } from '../owners/ownership';
import { resolveOwners } from '../owners/owner-directory';
import { orGoneIfMerged } from '../merge/merge.service';
import { createPersonSchema, pageSchema, patchPersonSchema, personIdParams, personSchema } from '@kapocs/contracts';
import { createPerson, deletePerson, findVisiblePerson, listPersons, personAudit, toPersonDto, updatePerson } from './persons.service';

const tags = ['persons'];

/** `directory`: the new owner's department when a write changes the owner (the department follows the owner). */
export function personsRoutes(app: ServiceApp, orm: MikroORM, directory: UserDirectory) {
  const em = () => orm.em.fork();

  app.get('/persons', { schema: { tags, querystring: ownerListQuerySchema, description: 'List: q matches family and given names (accent-insensitive, either order) and e-mail addresses; `ownerId=me` lists the caller\'s own persons.', response: { 200: pageSchema(personSchema) } } },
    async (req) => listPersons(em(), req.principal, req.query));

  // a bad body is answered after its custom values are checked too, so one 400 names every bad field
  app.post('/persons', { attachValidation: true, config: { idempotent: true }, schema: { tags, body: createPersonSchema, response: { 201: personSchema } } }, async (req, reply) => {
    if (req.validationError) throwIfBodyInvalid(req.validationError, await customRulesOf(em(), 'person'), req.body, { mode: 'create' });
    const person = await createPerson(em(), req.principal, req.body, await resolveOwners(directory, req.principal, [req.body.ownerId], [req.body.departmentId]));
    setVersionTag(reply, person.version);
    return reply.code(201).header('location', `/persons/${person.id}`).send(await toPersonDto(em(), req.principal, person));
  });

  app.get('/persons/:id', { schema: { tags, params: personIdParams, response: { 200: personSchema } } }, async (req, reply) => {
    const m = em();
    // a merged person answers 410 pointing at the survivor (P8)
    const person = await findVisiblePerson(m, req.principal, req.params.id).catch(orGoneIfMerged(m, req.principal, 'person', req.params.id));
    setVersionTag(reply, person.version);
    return toPersonDto(m, req.principal, person);
  });

  app.patch('/persons/:id', { attachValidation: true, schema: { tags, params: personIdParams, body: patchPersonSchema, response: { 200: personSchema } } }, async (req, reply) => {
    if (req.validationError) throwIfBodyInvalid(req.validationError, await customRulesOf(em(), 'person'), req.body, { mode: 'patch' });
    const person = await updatePerson(em(), req.principal, req.params.id, requiredIfMatch(req), req.body, await resolveOwners(directory, req.principal, [req.body.ownerId], [req.body.departmentId]));
    setVersionTag(reply, person.version);
    return toPersonDto(em(), req.principal, person);
  });

  app.delete('/persons/:id', { schema: { tags, params: personIdParams } }, async (req, reply) => {
    await deletePerson(em(), req.principal, req.params.id, requiredIfMatch(req));
    return reply.code(204).send();
  });

  app.get('/persons/:id/audit', { schema: { tags, params: personIdParams } }, async (req) => ({
    items: await personAudit(em(), req.principal, req.params.id),
  }));
}
