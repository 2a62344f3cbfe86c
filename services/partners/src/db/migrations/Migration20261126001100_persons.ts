import { Migration } from '@kapocs/kit';

export class Migration20261126001100_persons extends Migration {
  override async up(): Promise<void> {
    // what person search matches: the name in both orders ("kovacs janos kovacs" holds "janos kovacs" too),
    // accent-folded, and the e-mail addresses; immutable so a trigram index can be built on it
    this.addSql(`create or replace function partners.person_search(family text, given text, emails jsonb) returns text
      language sql immutable parallel safe as $$
        select partners.search_text(coalesce(family, '') || ' ' || coalesce(given, '') || ' ' || coalesce(family, ''))
          || ' ' || coalesce((select string_agg(lower(e->>'address'), ' ') from jsonb_array_elements(emails) e), '')
      $$`);
    this.addSql(`create table partners.person (
      id uuid primary key,
      family_name varchar(100) not null,
      given_name varchar(100) not null,
      title varchar(50),
      position varchar(100),
      emails jsonb not null default '[]',
      phones jsonb not null default '[]',
      owner_id varchar(64) not null,
      department_id varchar(100),
      custom jsonb not null default '{}',
      version int not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz
    )`);
    // lists sort names in Hungarian order (ICU collation: Á with A, Cs after C)
    this.addSql(`create index person_name on partners.person ((lower(family_name) collate "hu-x-icu"), (lower(given_name) collate "hu-x-icu"), id) where deleted_at is null`);
    this.addSql(`create index person_given_name on partners.person ((lower(given_name) collate "hu-x-icu"), id) where deleted_at is null`);
    this.addSql(`create index person_created on partners.person (created_at, id) where deleted_at is null`);
    this.addSql(`create index person_owner on partners.person (owner_id) where deleted_at is null`);
    this.addSql(`create index person_department on partners.person (department_id) where deleted_at is null`);
    this.addSql(`create index person_search on partners.person using gin (partners.person_search(family_name, given_name, emails) gin_trgm_ops) where deleted_at is null`);
    this.addSql(`create index person_custom on partners.person using gin (custom jsonb_path_ops)`);

    this.addSql(`create table partners.employment (
      id uuid primary key,
      person_id uuid not null references partners.person (id),
      company_id uuid not null references partners.company (id),
      role varchar(100),
      from_date date not null,
      to_date date,
      is_primary boolean not null default false,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz,
      constraint employment_dates check (to_date is null or to_date >= from_date)
    )`);
    this.addSql(`create index employment_person on partners.employment (person_id, from_date desc) where deleted_at is null`);
    this.addSql(`create index employment_company on partners.employment (company_id, from_date desc) where deleted_at is null`);
  }
}
