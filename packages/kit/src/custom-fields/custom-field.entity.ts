import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export { CUSTOM_FIELD_TYPES, type CustomFieldType } from '@kapocs/contracts';

/** An admin-defined field of an entity (P5); values live in the entity's `custom` JSONB. */
export const CustomFieldDefinition = defineEntity({
  name: 'CustomFieldDefinition',
  tableName: 'custom_field',
  properties: {
    id: p.uuid().primary(),
    entity: p.string().length(40),
    subtype: p.string().length(60).nullable(),
    key: p.string().length(60),
    label: p.json<{ hu: string; en: string }>(),
    type: p.string().length(20),
    options: p.json<string[]>().nullable(),
    helpText: p.json<{ hu?: string; en?: string }>().nullable(),
    defaultValue: p.json<unknown>().nullable(),
    weight: p.integer(),
    placement: p.string().length(60).nullable(),
    required: p.boolean(),
    version: p.integer().version(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    deletedAt: p.datetime().nullable(),
  },
});
export type CustomFieldEntity = InferEntity<typeof CustomFieldDefinition>;

export function customFieldTablesSql(schema: string): string[] {
  return [
    `create table if not exists "${schema}"."custom_field" (
       id uuid primary key, entity varchar(40) not null, subtype varchar(60), key varchar(60) not null,
       label jsonb not null, type varchar(20) not null, options jsonb, help_text jsonb, default_value jsonb,
       weight int not null default 0, placement varchar(60), required boolean not null default false,
       version int not null default 1, created_at timestamptz not null, updated_at timestamptz not null, deleted_at timestamptz)`,
    // a key is unique per entity while the field exists (a deleted key may be defined again)
    `create unique index if not exists custom_field_key on "${schema}"."custom_field" (entity, key) where deleted_at is null`,
  ];
}
