import { Migration } from '@kapocs/kit';

export class Migration20261126003100_external_ids extends Migration {
  override async up(): Promise<void> {
    // P7: which record of ours an id of another system (e.g. SAP) stands for; one record may carry several
    // (several systems, or the ids of a merged record)
    this.addSql(`create table partners.external_id (
      entity varchar(20) not null,
      system varchar(31) not null,
      external_id varchar(200) not null,
      internal_id uuid not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (entity, system, external_id)
    )`);
    this.addSql(`create index external_id_internal on partners.external_id (entity, internal_id)`);
  }
}
