import { z } from 'zod';
import type { FastifySchemaCompiler } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import { setVersionTag, zodValidatorCompiler, type ServiceApp, type UserDirectory } from '@kapocs/kit';
import { companySchema, personSchema } from '@kapocs/contracts';
import { resolveOwners } from '../owners/owner-directory';
import { bulkBodySchema, bulkResponseSchema, externalIdParams, externalIdRefSchema, systemParams } from './external-ids.schemas';
import { bulkUpsert, externalIdsOf, upsertByExternalId } from './external-ids.service';
import { companyTarget, personTarget, type SyncTarget } from './sync-targets';

const tags = ['external ids'];

/**
 * The body is checked in the use case, which knows whether the record exists (create: the POST rules; update: the
 * PATCH rules, absent fields left alone). It is documented with the PATCH schema, the rules every body meets: a
 * body without the POST's required fields is valid for a record that exists (schemathesis found the create schema
 * documented stricter than what an update accepts).
 */
const bodyCheckedByUseCase: FastifySchemaCompiler<any> = (ctx) => (ctx.httpPart === 'body' ? (data) => ({ value: data }) : zodValidatorCompiler(ctx));

const ENTITIES: { path: string; target: SyncTarget; required: string; dto: z.ZodObject }[] = [
  { path: 'companies', target: companyTarget, required: 'name', dto: companySchema },
  { path: 'persons', target: personTarget, required: 'familyName and givenName', dto: personSchema },
];

/** The owner a body names, if any (bodies are checked in the use case), trimmed as the body schema trims it. */
const textOf = (field: 'ownerId' | 'departmentId') => (body: unknown): string | undefined => {
  const v = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  return typeof v === 'string' ? v.trim() : undefined;
};
const ownerIdOf = textOf('ownerId');
const departmentIdOf = textOf('departmentId');

/** `directory`: the new owner's department when an upsert changes the owner (the department follows the owner). */
export function externalIdsRoutes(app: ServiceApp, orm: MikroORM, directory: UserDirectory) {
  for (const { path, target, required, dto } of ENTITIES) {
    const withIds = dto.extend({ externalIds: z.array(externalIdRefSchema) });

    app.put(`/external/:system/${path}/:externalId`, {
      validatorCompiler: bodyCheckedByUseCase,
      schema: {
        tags, params: externalIdParams, body: target.patchSchema, response: { 200: withIds, 201: withIds },
        description: `Upsert by the id of another system (P7): 201 when created, 200 when updated or unchanged. The same payload again changes nothing. Fields absent from the body are left alone; creating a record takes the fields POST /${path} requires (${required}), else 400. No If-Match: the other system is the source of truth for its fields. For crm-admin and crm-director (integration service users).`,
      },
    }, async (req, reply) => {
      const em = orm.em.fork();
      const { status, record } = await upsertByExternalId(em, req.principal, target, req.params.system, req.params.externalId, req.body, await resolveOwners(directory, req.principal, [ownerIdOf(req.body)], [departmentIdOf(req.body)]));
      setVersionTag(reply, record.version);
      if (status === 'created') reply.code(201).header('location', `/${path}/${record.id}`);
      return { ...(await target.toDto(em, req.principal, record as never)), externalIds: await externalIdsOf(em, target.entity, record.id) };
    });

    app.post(`/external/:system/${path}`, {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags, params: systemParams, body: bulkBodySchema, response: { 200: bulkResponseSchema },
        description: `Bulk upsert (P7): { items: [{ externalId, ...fields }] }, at most 1000 (more: 413). Each item answers created, updated, unchanged, invalid (with errors) or forbidden; one bad item does not stop the others. Repeating a batch changes nothing.`,
      },
    }, async (req) => ({
      results: await bulkUpsert(orm.em.fork(), req.principal, target, req.params.system, req.body.items, await resolveOwners(directory, req.principal, req.body.items.map(ownerIdOf), req.body.items.map(departmentIdOf))),
    }));
  }
}
