import { Migration } from '@kapocs/kit';

/**
 * Duplicate pairs are refreshed after commit, not inside every write: the similarity lookup cost 30–90 ms a row
 * once a table held thousands of look-alike names, which made imports and ERP bulk upserts crawl. Writes now
 * only queue the record (`duplicate_check`); the service's worker refreshes the queue in batches, and
 * `GET /duplicates` drains it first, so a reader still sees its own writes.
 */
export class Migration20261126003500_deferred_duplicates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table partners.duplicate_check (
      entity varchar(20) not null, id uuid not null, queued_at timestamptz not null default now(), primary key (entity, id))`);
    this.addSql(`create index duplicate_check_queue on partners.duplicate_check (entity, queued_at)`);
    this.addSql(`create or replace function partners.company_duplicates_trigger() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' or new.deleted_at is not null then
          -- cheap and immediate: a deleted company leaves its pairs at once
          delete from partners.company_duplicate where a_id = coalesce(new.id, old.id) or b_id = coalesce(new.id, old.id);
          return null;
        end if;
        insert into partners.duplicate_check (entity, id) values ('company', new.id) on conflict do nothing;
        return null;
      end $$`);
    this.addSql(`create or replace function partners.person_duplicates_trigger() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' or new.deleted_at is not null then
          delete from partners.person_duplicate where a_id = coalesce(new.id, old.id) or b_id = coalesce(new.id, old.id);
          return null;
        end if;
        insert into partners.duplicate_check (entity, id) values ('person', new.id) on conflict do nothing;
        return null;
      end $$`);
    this.addSql(`create or replace function partners.employment_duplicates_trigger() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') then
          insert into partners.duplicate_check (entity, id) values ('person', old.person_id) on conflict do nothing;
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          insert into partners.duplicate_check (entity, id) values ('person', new.person_id) on conflict do nothing;
        end if;
        return null;
      end $$`);
  }
}
