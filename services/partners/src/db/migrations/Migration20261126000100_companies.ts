import { Migration } from '@kapocs/kit';

export class Migration20261126000100_companies extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists unaccent`);
    this.addSql(`create extension if not exists pg_trgm`);
    // unaccent() is only stable; an immutable wrapper lets indexes use it (Kovács = kovacs)
    this.addSql(`create or replace function partners.search_text(text) returns text
      language sql immutable parallel safe strict as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`);
    this.addSql(`create table partners.company (
      id uuid primary key,
      name varchar(200) not null,
      legal_form varchar(50),
      kind varchar(20) not null,
      status varchar(20) not null default 'active',
      tax_number varchar(40),
      registration_number varchar(40),
      country char(2) not null default 'HU',
      industry varchar(100),
      size varchar(20),
      website varchar(300),
      emails jsonb not null default '[]',
      phones jsonb not null default '[]',
      addresses jsonb not null default '[]',
      group_id uuid,
      owner_id varchar(64) not null,
      department_id varchar(100),
      custom jsonb not null default '{}',
      version int not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz
    )`);
    this.addSql(`create index company_name on partners.company (lower(name), id) where deleted_at is null`);
    this.addSql(`create index company_created on partners.company (created_at, id) where deleted_at is null`);
    this.addSql(`create index company_owner on partners.company (owner_id) where deleted_at is null`);
    this.addSql(`create index company_department on partners.company (department_id) where deleted_at is null`);
    this.addSql(`create index company_tax_number on partners.company (tax_number) where deleted_at is null`);
    this.addSql(`create index company_search on partners.company using gin (partners.search_text(name) gin_trgm_ops) where deleted_at is null`);
    this.addSql(`create index company_custom on partners.company using gin (custom jsonb_path_ops)`);
  }
}
