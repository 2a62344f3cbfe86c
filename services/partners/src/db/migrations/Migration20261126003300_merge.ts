import { Migration } from '@kapocs/kit';

export class Migration20261126003300_merge extends Migration {
  override async up(): Promise<void> {
    // P8: a merged record stays (soft-deleted) and points at the survivor, so old links answer 410 with the way on
    this.addSql(`alter table partners.company add column merged_into_id uuid`);
    this.addSql(`create index company_merged_into on partners.company (merged_into_id) where merged_into_id is not null`);
    this.addSql(`alter table partners.person add column merged_into_id uuid`);
    this.addSql(`create index person_merged_into on partners.person (merged_into_id) where merged_into_id is not null`);
  }
}
