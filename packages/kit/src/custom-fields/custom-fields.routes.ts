import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { requiredIfMatch, setVersionTag } from '../concurrency';
import type { ServiceApp } from '../service';
import { validationProblem } from '../problems';
import { createCustomFieldSchema, customFieldSchema, patchCustomFieldSchema } from './custom-fields.schemas';
import {
  createCustomField, customFieldAudit, customFieldsOf, deleteCustomField, getCustomField, toCustomFieldDto, updateCustomField,
  type CustomFieldEntities,
} from './custom-fields.service';

const tags = ['custom fields'];
const idParams = z.object({ id: z.uuid() });

/** `/custom-fields` of a service: anyone signed in reads the definitions (forms need them); admins change them. */
export function customFieldRoutes(app: ServiceApp, orm: MikroORM, entities: CustomFieldEntities) {
  const em = () => orm.em.fork();
  const names = Object.keys(entities) as [string, ...string[]];

  app.get('/custom-fields', { schema: { tags, querystring: z.object({ entity: z.enum(names), subtype: z.string().optional() }) } }, async (req) => {
    const all = await customFieldsOf(em(), req.query.entity);
    const items = all.filter((d) => !req.query.subtype || !d.subtype || d.subtype === req.query.subtype).map(toCustomFieldDto);
    return { items };
  });

  app.post('/custom-fields', { config: { idempotent: true }, schema: { tags, body: createCustomFieldSchema, response: { 201: customFieldSchema } } }, async (req, reply) => {
    if (!entities[req.body.entity]) throw validationProblem([{ path: 'entity', message: `must be one of ${names.join(', ')}` }]);
    const d = await createCustomField(em(), req.principal, entities, req.body);
    setVersionTag(reply, d.version);
    return reply.code(201).header('location', `/custom-fields/${d.id}`).send(toCustomFieldDto(d));
  });

  app.get('/custom-fields/:id', { schema: { tags, params: idParams } }, async (req, reply) => {
    const d = await getCustomField(em(), req.params.id, entities);
    setVersionTag(reply, d.version);
    return toCustomFieldDto(d);
  });

  app.patch('/custom-fields/:id', { schema: { tags, params: idParams, body: patchCustomFieldSchema } }, async (req, reply) => {
    const d = await updateCustomField(em(), req.principal, entities, req.params.id, requiredIfMatch(req), req.body);
    setVersionTag(reply, d.version);
    return toCustomFieldDto(d);
  });

  app.delete('/custom-fields/:id', { schema: { tags, params: idParams } }, async (req, reply) => {
    await deleteCustomField(em(), req.principal, entities, req.params.id, requiredIfMatch(req));
    return reply.code(204).send();
  });

  app.get('/custom-fields/:id/audit', { schema: { tags, params: idParams } }, async (req) => ({ items: await customFieldAudit(em(), entities, req.params.id) }));
}
