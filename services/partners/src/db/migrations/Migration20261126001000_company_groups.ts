import { Migration } from '@kapocs/kit';

export class Migration20261126001000_company_groups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table partners.company_group (
      id uuid primary key,
      name varchar(200) not null,
      description text,
      owner_id varchar(64) not null,
      department_id varchar(100),
      version int not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz
    )`);
    this.addSql(`create index company_group_name on partners.company_group ((lower(name) collate "hu-x-icu"), id) where deleted_at is null`);
    this.addSql(`create index company_group_created on partners.company_group (created_at, id) where deleted_at is null`);
    this.addSql(`create index company_group_owner on partners.company_group (owner_id) where deleted_at is null`);
    this.addSql(`create index company_group_department on partners.company_group (department_id) where deleted_at is null`);
    this.addSql(`create index company_group_search on partners.company_group using gin (partners.search_text(name) gin_trgm_ops) where deleted_at is null`);
    // groups are deleted softly, so the key always holds; "not valid": group ids written before groups existed
    // point nowhere and are left for the owners to clear, while every new value is checked
    this.addSql(`alter table partners.company add constraint company_group_fk foreign key (group_id) references partners.company_group (id) not valid`);
    this.addSql(`create index company_group_member on partners.company (group_id) where deleted_at is null and group_id is not null`);
  }
}
