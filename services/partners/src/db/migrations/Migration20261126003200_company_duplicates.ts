import { Migration } from '@kapocs/kit';

/**
 * P8: likely duplicate companies, kept as pairs by a trigger, so listing them is an indexed read however many
 * companies there are, and every writer (API, ERP sync, imports) keeps them current without knowing of them.
 */
export class Migration20261126003200_company_duplicates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table partners.company_duplicate (
      a_id uuid not null,
      b_id uuid not null,
      reasons text[] not null,
      score numeric(4,3) not null,
      primary key (a_id, b_id),
      constraint company_duplicate_order check (a_id < b_id)
    )`);
    this.addSql(`create index company_duplicate_rank on partners.company_duplicate (score desc, a_id, b_id)`);
    this.addSql(`create index company_duplicate_b on partners.company_duplicate (b_id)`);
    this.addSql(`create index company_registration_number on partners.company (registration_number) where deleted_at is null`);
    // the name without its legal form finds the candidates: "kft" is in most names, and its trigrams would make
    // every lookup on search_text(name) visit nearly every company
    this.addSql(`create or replace function partners.company_name_key(text) returns text
      language sql immutable parallel safe strict as $$
        select btrim(regexp_replace(regexp_replace(partners.search_text($1),
          '\\m(kft|zrt|nyrt|rt|bt|kkt|kht|ev|gmbh|ag|kg|ltd|llc|inc|plc|sa|sro|spa|srl|bv|nv|nonprofit|korlatolt felelossegu tarsasag|zartkoruen mukodo reszvenytarsasag|nyilvanosan mukodo reszvenytarsasag|reszvenytarsasag|beteti tarsasag|kozkereseti tarsasag|egyeni vallalkozo)\\M',
          ' ', 'g'), '[^[:alnum:]]+', ' ', 'g'))
      $$`);
    this.addSql(`create index company_name_key on partners.company using gin (partners.company_name_key(name) gin_trgm_ops) where deleted_at is null`);
    // candidates: the same tax or registration number, or a name key at least 0.3 alike (the threshold set on
    // the function is what the trigram index serves); a pair by name needs search_text(name) 0.6 alike.
    // score: noisy-or of the reasons (a shared tax or registration number 0.9 each, the name 0.8 × similarity)
    this.addSql(`create or replace function partners.refresh_company_duplicates(cid uuid) returns void
      language plpgsql set pg_trgm.similarity_threshold = 0.3 set search_path = public as $$
      declare
        c partners.company%rowtype;
      begin
        delete from partners.company_duplicate where a_id = cid or b_id = cid;
        select * into c from partners.company where id = cid and deleted_at is null;
        if not found then return; end if;
        insert into partners.company_duplicate (a_id, b_id, reasons, score)
        select least(cid, m.id), greatest(cid, m.id),
               array_remove(array[
                 case when m.same_tax then 'taxNumber' end,
                 case when m.same_reg then 'registrationNumber' end,
                 case when m.sim >= 0.6 then 'name' end], null),
               round((1 - (case when m.same_tax then 0.1 else 1 end)
                        * (case when m.same_reg then 0.1 else 1 end)
                        * (case when m.sim >= 0.6 then 1 - 0.8 * m.sim else 1 end))::numeric, 3)
        from (
          select o.id,
                 coalesce(o.tax_number = c.tax_number, false) as same_tax,
                 coalesce(o.registration_number = c.registration_number, false) as same_reg,
                 similarity(partners.search_text(o.name), partners.search_text(c.name)) as sim
          from partners.company o
          where o.id in (
            select x.id from partners.company x
             where x.deleted_at is null and x.id <> cid and (x.tax_number = c.tax_number or x.registration_number = c.registration_number)
            union
            -- bounded: the 50 most alike names (a run of "Bolt 1", "Bolt 2", … must not make every pair)
            (select x.id from partners.company x
              where x.deleted_at is null and x.id <> cid and partners.company_name_key(x.name) % partners.company_name_key(c.name)
              order by similarity(partners.search_text(x.name), partners.search_text(c.name)) desc, x.id limit 50))
        ) m
        where m.same_tax or m.same_reg or m.sim >= 0.6
        on conflict (a_id, b_id) do update set reasons = excluded.reasons, score = excluded.score;
      end $$`);
    this.addSql(`create or replace function partners.company_duplicates_trigger() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          delete from partners.company_duplicate where a_id = old.id or b_id = old.id;
          return null;
        end if;
        perform partners.refresh_company_duplicates(new.id);
        return null;
      end $$`);
    this.addSql(`create trigger company_duplicates_insert after insert on partners.company
      for each row execute function partners.company_duplicates_trigger()`);
    this.addSql(`create trigger company_duplicates_update after update of name, tax_number, registration_number, deleted_at on partners.company
      for each row when (old.name is distinct from new.name or old.tax_number is distinct from new.tax_number
        or old.registration_number is distinct from new.registration_number or old.deleted_at is distinct from new.deleted_at)
      execute function partners.company_duplicates_trigger()`);
    this.addSql(`create trigger company_duplicates_delete after delete on partners.company
      for each row execute function partners.company_duplicates_trigger()`);
    this.addSql(`select partners.refresh_company_duplicates(id) from partners.company where deleted_at is null`);
  }
}
