import type { EntityManager } from '@mikro-orm/postgresql';
import { PartnersEvents, type CompanyCreated, type CompanyDeleted, type CompanyUpdated } from '@kapocs/contracts';
import type { ConsumerDefinition, EventHandler } from '@kapocs/kit';

// Companies without a department are counted under '' so the sum matches the total.
const dept = (d: string | null | undefined) => d ?? '';

async function count(em: EntityManager, departmentId: string, delta: number) {
  await em.execute(
    `insert into reporting.department_company_count (department_id, companies) values (?, ?)
     on conflict (department_id) do update set companies = reporting.department_company_count.companies + excluded.companies`,
    [departmentId, delta],
  );
}

const created: EventHandler = async (em, event) => {
  const d = (event as CompanyCreated).data;
  await em.execute(
    `insert into reporting.company_projection (id, name, kind, status, city, owner_id, department_id, version)
     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
    [d.id, d.name, d.kind, d.status, d.city, d.ownerId, d.departmentId, d.version],
  );
  await count(em, dept(d.departmentId), 1);
};

const updated: EventHandler = async (em, event) => {
  const d = (event as CompanyUpdated).data;
  const [before] = await em.execute<{ department_id: string | null; version: number; deleted: boolean }[]>(
    `select department_id, version, deleted from reporting.company_projection where id = ? for update`, [d.id]);
  // an older version arriving late changes nothing
  if (!before || before.version >= d.version || before.deleted) return;
  await em.execute(
    `update reporting.company_projection set name = ?, kind = ?, status = ?, city = ?, owner_id = ?, department_id = ?, version = ?, updated_at = now() where id = ?`,
    [d.name, d.kind, d.status, d.city, d.ownerId, d.departmentId, d.version, d.id],
  );
  if (dept(before.department_id) !== dept(d.departmentId)) {
    await count(em, dept(before.department_id), -1);
    await count(em, dept(d.departmentId), 1);
  }
};

const deleted: EventHandler = async (em, event) => {
  const { id } = (event as CompanyDeleted).data;
  const rows = await em.execute<{ department_id: string | null }[]>(
    `update reporting.company_projection set deleted = true, updated_at = now() where id = ? and not deleted returning department_id`, [id]);
  if (rows[0]) await count(em, dept(rows[0].department_id), -1);
};

/** Keeps the company read model (dashboard counts, later search) from partners' events. */
export const companyProjection: ConsumerDefinition = {
  stream: 'PARTNERS',
  durable: 'reporting-projections',
  handlers: {
    [PartnersEvents.companyCreated]: created,
    [PartnersEvents.companyUpdated]: updated,
    [PartnersEvents.companyDeleted]: deleted,
  },
};
