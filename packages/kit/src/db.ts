import { MikroORM, defineEntity, p, type EntityManager as CoreEm, type EntitySchema } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { Migration } from '@mikro-orm/migrations';
import pg from 'pg';
import { CustomFieldDefinition, customFieldTablesSql } from './custom-fields/custom-field.entity';
import type { MigrationObject } from '@mikro-orm/core';
export { Migration } from '@mikro-orm/migrations';
export type { EntityManager } from '@mikro-orm/postgresql';

/** A transactional outbox row: the domain event waiting to be published (see outbox.ts). */
export const OutboxMessage = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox',
  properties: {
    id: p.uuid().primary(),
    subject: p.text(),
    envelope: p.json<Record<string, unknown>>(),
    headers: p.json<Record<string, string>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    publishedAt: p.datetime().nullable(),
  },
});

/** One handled event per consumer: makes a consumer idempotent (see inbox.ts). */
export const InboxEntry = defineEntity({
  name: 'InboxEntry',
  tableName: 'inbox',
  properties: {
    consumer: p.string().primary(),
    eventId: p.uuid().primary(),
    handledAt: p.datetime().onCreate(() => new Date()),
  },
});

/** Who changed which fields of a record, and when (see audit.ts). */
export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_log',
  properties: {
    id: p.uuid().primary(),
    entityType: p.string(),
    entityId: p.uuid(),
    action: p.string(),
    actorId: p.string(),
    actorName: p.string(),
    at: p.datetime(),
    changes: p.json<Record<string, { from: unknown; to: unknown }>>(),
  },
});

/** The tables and trigger every service schema holds for the kit (outbox, inbox, audit, idempotency). */
export function kitTablesSql(schema: string): string[] {
  return [
    `create table if not exists "${schema}"."outbox" (
       id uuid primary key, subject text not null, envelope jsonb not null, headers jsonb not null default '{}',
       created_at timestamptz not null default now(), published_at timestamptz)`,
    `create index if not exists outbox_unpublished on "${schema}"."outbox" (id) where published_at is null`,
    `create or replace function "${schema}".outbox_notify() returns trigger language plpgsql as $$
       begin perform pg_notify('${schema}_outbox', ''); return null; end $$`,
    `drop trigger if exists outbox_notify on "${schema}"."outbox"`,
    `create trigger outbox_notify after insert on "${schema}"."outbox" for each statement execute function "${schema}".outbox_notify()`,
    `create table if not exists "${schema}"."inbox" (
       consumer text not null, event_id uuid not null, handled_at timestamptz not null default now(),
       primary key (consumer, event_id))`,
    `create table if not exists "${schema}"."audit_log" (
       id uuid primary key, entity_type text not null, entity_id uuid not null, action text not null,
       actor_id text not null, actor_name text not null, at timestamptz not null, changes jsonb not null)`,
    `create index if not exists audit_log_entity on "${schema}"."audit_log" (entity_type, entity_id, at desc)`,
    `create table if not exists "${schema}"."idempotency_key" (
       principal_id text not null, key text not null, method text not null, path text not null,
       status int, body jsonb, headers jsonb, created_at timestamptz not null default now(),
       primary key (principal_id, key))`,
  ];
}

/**
 * Creates the schema only when it is missing: a service's role owns its schema (made by whoever set up the
 * database) but may not create schemas, and `create schema if not exists` checks that right first.
 */
const createSchemaSql = (schema: string) =>
  `do $$ begin if not exists (select from pg_namespace where nspname = '${schema}') then create schema "${schema}"; end if; end $$`;

/** The kit's migrations (its tables in a schema); they run before a service's own. */
export function kitMigrations(schema: string): MigrationObject[] {
  class KitTables extends Migration {
    override async up(): Promise<void> {
      this.addSql(createSchemaSql(schema));
      for (const sql of kitTablesSql(schema)) this.addSql(sql);
    }
  }
  class KitCustomFields extends Migration {
    override async up(): Promise<void> {
      for (const sql of customFieldTablesSql(schema)) this.addSql(sql);
    }
  }
  class KitIdempotencyFingerprint extends Migration {
    override async up(): Promise<void> {
      this.addSql(`alter table "${schema}"."idempotency_key" add column if not exists fingerprint text`);
      this.addSql(`create index if not exists idempotency_key_created on "${schema}"."idempotency_key" (created_at)`);
    }
  }
  return [
    { name: 'Migration00000000000000_kit', class: KitTables },
    { name: 'Migration00000000000001_kit_custom_fields', class: KitCustomFields },
    { name: 'Migration00000000000002_kit_idempotency_fingerprint', class: KitIdempotencyFingerprint },
  ];
}

export interface OrmOptions {
  clientUrl: string;
  schema: string;
  entities: EntitySchema<any, any>[];
  migrations: MigrationObject[];
  debug?: boolean;
  poolMax?: number;
}

/** MikroORM for one service schema; the migrations table lives in that schema too. */
export async function createOrm(opts: OrmOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: opts.clientUrl,
    schema: opts.schema,
    entities: [OutboxMessage, InboxEntry, AuditEntry, CustomFieldDefinition, ...opts.entities],
    extensions: [Migrator],
    migrations: { migrationsList: [...kitMigrations(opts.schema), ...opts.migrations], tableName: 'mikro_orm_migrations', silent: true, transactional: true, allOrNothing: true, snapshot: false },
    pool: { min: 0, max: opts.poolMax ?? 10 },
    // While PostgreSQL is down or restarting, a request must fail fast (503) instead of queueing for a
    // connection for knex's default 60 s; a server that hangs instead of refusing costs at most the connect
    // timeout. Dead pooled connections are dropped by knex's validation and replaced once the server is back.
    driverOptions: { acquireConnectionTimeout: 5_000, connection: { connectionTimeoutMillis: 3_000, keepAlive: true } },
    debug: opts.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: false },
  });
}

/** Creates the schema if needed and applies pending migrations. Safe to run from several replicas at once. */
export async function migrate(orm: MikroORM, schema: string, clientUrl: string): Promise<void> {
  // One migrator at a time across replicas and Jobs: a session advisory lock on a connection of its own.
  const lock = new pg.Client({ connectionString: clientUrl });
  await lock.connect();
  try {
    await lock.query(`select pg_advisory_lock(hashtext($1))`, [`kapocs-migrate-${schema}`]);
    await lock.query(createSchemaSql(schema));
    await orm.getMigrator().up();
  } finally {
    await lock.end();
  }
}

export type { CoreEm };

/**
 * Rows of a raw list query as read-only entity-shaped values (column names mapped to properties), without
 * making them managed: `em.map` registers each in the identity map and snapshots it for change tracking,
 * which was most of a 50-row list request's CPU (docs/benchmarks.md). For answering reads only.
 */
export function readRows<T extends object>(em: CoreEm, entity: EntitySchema<T, never>, rows: Record<string, unknown>[]): T[] {
  const meta = em.getMetadata().get<T>(entity.meta.className);
  const driver = em.getDriver();
  return rows.map((row) => driver.mapResult(row as never, meta) as T);
}
