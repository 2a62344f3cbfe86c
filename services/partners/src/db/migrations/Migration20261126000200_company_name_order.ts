import { Migration } from '@kapocs/kit';

export class Migration20261126000200_company_name_order extends Migration {
  override async up(): Promise<void> {
    // company names sort in Hungarian order (Á after A, not after Z), like persons and groups
    this.addSql(`drop index if exists partners.company_name`);
    this.addSql(`create index company_name_hu on partners.company ((lower(name) collate "hu-x-icu"), id) where deleted_at is null`);
  }
}
