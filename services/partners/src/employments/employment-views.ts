import type { EntityManager } from '@mikro-orm/postgresql';
import { visibilityCondition, visibilityScope, type Principal } from '@kapocs/kit';
import type { EmploymentDto } from '@kapocs/contracts';

const BUSINESS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Budapest', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today as `YYYY-MM-DD` in Hungary: whether an employment is current follows the customers' calendar, not UTC. */
export const today = (): string => BUSINESS_DAY.format(new Date());

/** An employment is current until the day after its last day. */
export const isCurrent = (to: string | null | undefined, day = today()) => !to || to >= day;

interface EmploymentRow {
  id: string;
  person_id: string;
  company_id: string;
  role: string | null;
  from_date: string;
  to_date: string | null;
  is_primary: boolean;
  company_name: string | null;
  company_visible: boolean;
}

/**
 * The employments of some persons as the API shows them, current ones first (primary first), then former ones
 * by end date. The company's name is shown only when the caller may see the company.
 */
export async function employmentsOf(em: EntityManager, who: Principal, personIds: string[], opts: { employmentId?: string } = {}): Promise<Map<string, EmploymentDto[]>> {
  const out = new Map<string, EmploymentDto[]>(personIds.map((id) => [id, []]));
  if (!personIds.length) return out;
  const day = today();
  const vis = visibilityCondition(visibilityScope(who), { owner: 'c.owner_id', department: 'c.department_id' });
  const visibleSql = `(c.deleted_at is null${vis ? ` and ${vis.sql}` : ''})`;
  const rows = await em.execute<EmploymentRow[]>(
    `select e.id, e.person_id, e.company_id, e.role, e.from_date::text as from_date, e.to_date::text as to_date, e.is_primary,
            case when ${visibleSql} then c.name end as company_name, ${visibleSql} as company_visible
       from partners.employment e join partners.company c on c.id = e.company_id
      where e.person_id = any(?::uuid[]) and e.deleted_at is null${opts.employmentId ? ' and e.id = ?' : ''}
      order by (e.to_date is null or e.to_date >= ?::date) desc, e.is_primary desc, coalesce(e.to_date, '9999-12-31') desc, e.from_date desc, e.id`,
    [...(vis?.bindings ?? []), ...(vis?.bindings ?? []), `{${personIds.join(',')}}`, ...(opts.employmentId ? [opts.employmentId] : []), day],
  );
  for (const r of rows) {
    out.get(r.person_id)?.push({
      id: r.id, personId: r.person_id, companyId: r.company_id, companyName: r.company_name ?? null, companyVisible: r.company_visible,
      role: r.role ?? null, from: r.from_date, to: r.to_date ?? null, primary: r.is_primary, current: isCurrent(r.to_date, day),
    });
  }
  return out;
}
