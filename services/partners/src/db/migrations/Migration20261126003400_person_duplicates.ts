import { Migration } from '@kapocs/kit';

/**
 * P8: likely duplicate persons (a shared e-mail address, or names 0.6 alike at a company both work or worked
 * for), kept as pairs by triggers on persons and employments, like company_duplicate.
 */
export class Migration20261126003400_person_duplicates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function partners.email_keys(emails jsonb) returns text[]
      language sql immutable parallel safe as $$
        select coalesce(array_agg(distinct lower(e->>'address')), '{}') from jsonb_array_elements(coalesce(emails, '[]')) e
      $$`);
    this.addSql(`create or replace function partners.person_name_key(family text, given text) returns text
      language sql immutable parallel safe as $$ select partners.search_text(coalesce(family, '') || ' ' || coalesce(given, '')) $$`);
    this.addSql(`create index person_email_keys on partners.person using gin (partners.email_keys(emails)) where deleted_at is null`);
    this.addSql(`create table partners.person_duplicate (
      a_id uuid not null,
      b_id uuid not null,
      reasons text[] not null,
      score numeric(4,3) not null,
      primary key (a_id, b_id),
      constraint person_duplicate_order check (a_id < b_id)
    )`);
    this.addSql(`create index person_duplicate_rank on partners.person_duplicate (score desc, a_id, b_id)`);
    this.addSql(`create index person_duplicate_b on partners.person_duplicate (b_id)`);
    // score: noisy-or of the reasons (a shared e-mail 0.9, the name 0.8 × similarity)
    this.addSql(`create or replace function partners.refresh_person_duplicates(pid uuid) returns void language plpgsql set search_path = public as $$
      declare
        p partners.person%rowtype;
      begin
        delete from partners.person_duplicate where a_id = pid or b_id = pid;
        select * into p from partners.person where id = pid and deleted_at is null;
        if not found then return; end if;
        insert into partners.person_duplicate (a_id, b_id, reasons, score)
        select least(pid, m.id), greatest(pid, m.id),
               array_remove(array[case when m.same_email then 'email' end, case when m.sim >= 0.6 then 'name' end], null),
               round((1 - (case when m.same_email then 0.1 else 1 end) * (case when m.sim >= 0.6 then 1 - 0.8 * m.sim else 1 end))::numeric, 3)
        from (
          select o.id,
                 partners.email_keys(o.emails) && partners.email_keys(p.emails) as same_email,
                 case when o.id in (
                   select e2.person_id from partners.employment e1
                   join partners.employment e2 on e2.company_id = e1.company_id and e2.deleted_at is null
                   where e1.person_id = pid and e1.deleted_at is null)
                 then similarity(partners.person_name_key(o.family_name, o.given_name), partners.person_name_key(p.family_name, p.given_name))
                 else 0 end as sim
          from partners.person o
          where o.deleted_at is null and o.id <> pid
            and (partners.email_keys(o.emails) && partners.email_keys(p.emails)
              or o.id in (
                select e2.person_id from partners.employment e1
                join partners.employment e2 on e2.company_id = e1.company_id and e2.deleted_at is null
                where e1.person_id = pid and e1.deleted_at is null))
        ) m
        where m.same_email or m.sim >= 0.6
        on conflict (a_id, b_id) do update set reasons = excluded.reasons, score = excluded.score;
      end $$`);
    this.addSql(`create or replace function partners.person_duplicates_trigger() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          delete from partners.person_duplicate where a_id = old.id or b_id = old.id;
          return null;
        end if;
        perform partners.refresh_person_duplicates(new.id);
        return null;
      end $$`);
    this.addSql(`create trigger person_duplicates_insert after insert on partners.person
      for each row execute function partners.person_duplicates_trigger()`);
    this.addSql(`create trigger person_duplicates_update after update of family_name, given_name, emails, deleted_at on partners.person
      for each row when (old.family_name is distinct from new.family_name or old.given_name is distinct from new.given_name
        or old.emails is distinct from new.emails or old.deleted_at is distinct from new.deleted_at)
      execute function partners.person_duplicates_trigger()`);
    this.addSql(`create trigger person_duplicates_delete after delete on partners.person
      for each row execute function partners.person_duplicates_trigger()`);
    // an employment brings a person next to new colleagues (or takes them away): refresh the person's pairs
    this.addSql(`create or replace function partners.employment_duplicates_trigger() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') then perform partners.refresh_person_duplicates(old.person_id); end if;
        if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.person_id is distinct from old.person_id) then
          perform partners.refresh_person_duplicates(new.person_id);
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger employment_duplicates_insert after insert on partners.employment
      for each row execute function partners.employment_duplicates_trigger()`);
    this.addSql(`create trigger employment_duplicates_update after update of person_id, company_id, deleted_at on partners.employment
      for each row when (old.person_id is distinct from new.person_id or old.company_id is distinct from new.company_id
        or old.deleted_at is distinct from new.deleted_at)
      execute function partners.employment_duplicates_trigger()`);
    this.addSql(`create trigger employment_duplicates_delete after delete on partners.employment
      for each row execute function partners.employment_duplicates_trigger()`);
    this.addSql(`select partners.refresh_person_duplicates(id) from partners.person where deleted_at is null`);
  }
}
