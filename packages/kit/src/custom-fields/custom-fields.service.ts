import { uuidv7 } from 'uuidv7';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PROBLEM_BASE, Roles, type FieldError } from '@kapocs/contracts';
import { hasRole, type Principal } from '../auth';
import { diffFields, listAudit, recordAudit } from '../audit';
import { assertVersion } from '../concurrency';
import { conflict, forbidden, notFound, validationProblem } from '../problems';
import { CustomFieldDefinition, type CustomFieldEntity } from './custom-field.entity';
import type { CreateCustomFieldInput, CustomFieldDto, PatchCustomFieldInput } from './custom-fields.schemas';
import { customValueError, type CustomFieldRule } from './custom-values';

/** The entities of a service that take custom fields, with the subtypes each has (e.g. company kinds). */
export type CustomFieldEntities = Record<string, { subtypes?: readonly string[] }>;

const fieldNotFound = () => notFound('Custom field', `${PROBLEM_BASE}custom-field-not-found`);
const requireAdmin = (who: Principal) => {
  if (!hasRole(who, Roles.admin)) throw forbidden('Only admins define custom fields.');
};

export function toCustomFieldDto(d: CustomFieldEntity): CustomFieldDto {
  return {
    id: d.id, entity: d.entity, subtype: d.subtype ?? null, key: d.key, label: d.label, type: d.type as CustomFieldDto['type'],
    options: d.options ?? null, helpText: d.helpText ?? null, default: d.defaultValue ?? null, weight: d.weight,
    placement: d.placement ?? null, required: d.required, version: d.version,
  };
}

/** The live definitions of an entity, in form order (placement, weight, key). */
export async function customFieldsOf(em: EntityManager, entity: string): Promise<CustomFieldEntity[]> {
  return em.find(CustomFieldDefinition, { entity, deletedAt: null }, { orderBy: { placement: 'asc', weight: 'asc', key: 'asc' } });
}

/** The rules `applyCustomValues` checks writes against. */
export async function customRulesOf(em: EntityManager, entity: string): Promise<CustomFieldRule[]> {
  return (await customFieldsOf(em, entity)).map((d) => ({
    key: d.key, type: d.type as CustomFieldRule['type'], subtype: d.subtype ?? null, options: d.options ?? null,
    required: d.required, defaultValue: d.defaultValue ?? null, label: d.label,
  }));
}

function checkDefinition(entities: CustomFieldEntities, d: { entity: string; subtype?: string | null | undefined; type: string; options?: string[] | null | undefined; default?: unknown }): FieldError[] {
  const errors: FieldError[] = [];
  const spec = entities[d.entity];
  if (!spec) errors.push({ path: 'entity', message: `must be one of ${Object.keys(entities).join(', ')}` });
  else if (d.subtype && !(spec.subtypes ?? []).includes(d.subtype)) {
    errors.push({ path: 'subtype', message: spec.subtypes?.length ? `must be one of ${spec.subtypes.join(', ')}` : `${d.entity} has no subtypes` });
  }
  if (d.type === 'list' && !d.options?.length) errors.push({ path: 'options', message: 'a list needs its options' });
  if (d.type !== 'list' && d.options) errors.push({ path: 'options', message: 'only a list has options' });
  if (d.default !== undefined && d.default !== null) {
    const e = customValueError({ type: d.type as CustomFieldRule['type'], options: d.options ?? null }, d.default);
    if (e) errors.push({ path: 'default', message: e });
  }
  return errors;
}

export async function createCustomField(em: EntityManager, who: Principal, entities: CustomFieldEntities, input: CreateCustomFieldInput) {
  requireAdmin(who);
  const errors = checkDefinition(entities, input);
  if (errors.length) throw validationProblem(errors);
  return em.transactional(async (tx) => {
    if (await tx.count(CustomFieldDefinition, { entity: input.entity, key: input.key, deletedAt: null })) {
      throw conflict(`${input.entity} already has a custom field "${input.key}".`, `${PROBLEM_BASE}custom-field-exists`);
    }
    const now = new Date();
    const d = tx.create(CustomFieldDefinition, {
      id: uuidv7(), entity: input.entity, subtype: input.subtype ?? null, key: input.key, label: input.label, type: input.type,
      options: input.options ?? null, helpText: input.helpText ?? null, defaultValue: input.default ?? null, weight: input.weight,
      placement: input.placement ?? null, required: input.required, createdAt: now, updatedAt: now, deletedAt: null,
    });
    await tx.flush();
    recordAudit(tx, { entityType: 'custom-field', entityId: d.id, action: 'created', actor: who, changes: diffFields({}, toCustomFieldDto(d), Object.keys(toCustomFieldDto(d))) });
    return d;
  });
}

async function findField(em: EntityManager, id: string, entities: CustomFieldEntities) {
  const d = await em.findOne(CustomFieldDefinition, { id, deletedAt: null });
  if (!d || !entities[d.entity]) throw fieldNotFound();
  return d;
}

export const getCustomField = (em: EntityManager, id: string, entities: CustomFieldEntities) => findField(em, id, entities);

export async function updateCustomField(em: EntityManager, who: Principal, entities: CustomFieldEntities, id: string, expected: number, patch: PatchCustomFieldInput) {
  requireAdmin(who);
  return em.transactional(async (tx) => {
    const d = await findField(tx, id, entities);
    assertVersion(d.version, expected);
    const before = toCustomFieldDto(d);
    const merged = { ...before, ...patch };
    const errors = checkDefinition(entities, merged);
    if (errors.length) throw validationProblem(errors);
    const changes = diffFields(before, merged, ['subtype', 'label', 'options', 'helpText', 'default', 'weight', 'placement', 'required']);
    if (!Object.keys(changes).length) return d;
    const { default: def, ...rest } = patch;
    tx.assign(d, { ...rest, ...(def !== undefined ? { defaultValue: def } : {}), updatedAt: new Date() } as never);
    await tx.flush();
    recordAudit(tx, { entityType: 'custom-field', entityId: id, action: 'updated', actor: who, changes });
    return d;
  });
}

/** Removes the definition; stored values stay in the records' JSON but are no longer shown or checked. */
export async function deleteCustomField(em: EntityManager, who: Principal, entities: CustomFieldEntities, id: string, expected: number) {
  requireAdmin(who);
  await em.transactional(async (tx) => {
    const d = await findField(tx, id, entities);
    assertVersion(d.version, expected);
    d.deletedAt = new Date();
    await tx.flush();
    recordAudit(tx, { entityType: 'custom-field', entityId: id, action: 'deleted', actor: who, changes: {} });
  });
}

export const customFieldAudit = async (em: EntityManager, entities: CustomFieldEntities, id: string) => {
  await findField(em, id, entities);
  return listAudit(em, 'custom-field', id);
};
