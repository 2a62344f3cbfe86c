import { Migration } from '@kapocs/kit';

export class Migration20261126000200_company_projection extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table reporting.company_projection (
      id uuid primary key, name varchar(200) not null, kind varchar(20) not null, status varchar(20) not null,
      city varchar(100), owner_id varchar(64) not null, department_id varchar(100), version int not null,
      deleted boolean not null default false, updated_at timestamptz not null default now())`);
    this.addSql(`create index company_projection_owner on reporting.company_projection (owner_id) where not deleted`);
    this.addSql(`create table reporting.department_company_count (department_id varchar(100) primary key, companies int not null)`);
  }
}
