import { Migration } from '@kapocs/kit';

/**
 * Imports run as jobs of the kit's queue (graphile-worker in this schema): no heartbeat any more, and a failed
 * commit or undo remembers which step failed so that it can be retried. An import that was running when this
 * migration ran had its heartbeat-driven runner: it is marked failed, a commit or undo can be retried.
 */
export class Migration20261126003800_import_jobs_on_queue extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table partners.import_job add column failed_in varchar(20)`);
    this.addSql(`update partners.import_job set failed_in = status, status = 'failed', finished_at = now(), updated_at = now(),
        failure = 'interrupted by an upgrade of the service; retry the ' || case status when 'validating' then 'upload' when 'committing' then 'commit' else 'undo' end
      where status in ('validating', 'committing', 'undoing')`);
    this.addSql(`drop index partners.import_job_running`);
    this.addSql(`alter table partners.import_job drop column heartbeat_at`);
    this.addSql(`create index import_job_running on partners.import_job (status) where status in ('validating', 'committing', 'undoing')`);
  }
}
