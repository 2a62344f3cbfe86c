import { Migration } from '@kapocs/kit';

export class Migration20261126002100_imports extends Migration {
  override async up(): Promise<void> {
    // P6: one import job; it lives in the database so any replica can report on it, resume it or fail it
    this.addSql(`create table partners.import_job (
      id uuid primary key,
      entity varchar(20) not null,
      status varchar(20) not null,
      file_name varchar(300),
      format varchar(10) not null,
      encoding varchar(20),
      delimiter varchar(1),
      size_bytes bigint not null,
      created_by varchar(64) not null,
      principal jsonb not null,
      mapping jsonb not null default '{}',
      columns jsonb not null default '[]',
      file_errors jsonb not null default '[]',
      on_duplicate varchar(10),
      rows int not null default 0,
      processed int not null default 0,
      valid int not null default 0,
      created int not null default 0,
      updated int not null default 0,
      undone int not null default 0,
      attempts int not null default 0,
      failure text,
      heartbeat_at timestamptz not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      finished_at timestamptz
    )`);
    this.addSql(`create index import_job_creator on partners.import_job (created_by, created_at desc)`);
    this.addSql(`create index import_job_running on partners.import_job (heartbeat_at) where status in ('validating', 'committing', 'undoing')`);
    // the uploaded file, in 1 MB pieces, until it has been read into import_row
    this.addSql(`create table partners.import_chunk (
      import_id uuid not null references partners.import_job (id) on delete cascade,
      seq int not null,
      data bytea not null,
      primary key (import_id, seq)
    )`);
    // one data row of the file: what it holds, what is wrong with it, what it looks like, and what the commit did
    this.addSql(`create table partners.import_row (
      import_id uuid not null references partners.import_job (id) on delete cascade,
      row int not null,
      input jsonb not null,
      errors jsonb not null default '[]',
      duplicates jsonb not null default '[]',
      target_id uuid,
      tax_key text,
      reg_key text,
      name_key text,
      email_key text,
      company_id uuid,
      ext_system text,
      ext_key text,
      action varchar(10),
      record_id uuid,
      version_before int,
      version_after int,
      before jsonb,
      outcome jsonb,
      undo varchar(10),
      primary key (import_id, row)
    )`);
    this.addSql(`create index import_row_record on partners.import_row (import_id, record_id) where record_id is not null`);
  }
}
