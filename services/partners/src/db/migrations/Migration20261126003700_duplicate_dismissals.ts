import { Migration } from '@kapocs/kit';

/**
 * P8: "these two are not duplicates". A dismissed pair stays out of `GET /duplicates` for everyone. The refresh
 * functions are left alone: they keep (re)creating the pair, and the list leaves dismissed ones out by an
 * anti-join on this table's primary key, so undoing a dismissal shows the pair again at once, without a refresh.
 * Dismissals of a merged or deleted record stay: both lists join live records only, so they are never shown,
 * and a record brought back keeps what users said about it.
 */
export class Migration20261126003700_duplicate_dismissals extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table partners.duplicate_dismissal (
      entity text not null,
      a_id uuid not null,
      b_id uuid not null,
      dismissed_by text not null,
      dismissed_at timestamptz not null default now(),
      primary key (entity, a_id, b_id),
      constraint duplicate_dismissal_entity check (entity in ('company', 'person')),
      constraint duplicate_dismissal_order check (a_id < b_id)
    )`);
    // the dismissed-pairs list: newest first, keyset paged
    this.addSql(`create index duplicate_dismissal_recent on partners.duplicate_dismissal (entity, dismissed_at desc, a_id desc, b_id desc)`);
  }
}
